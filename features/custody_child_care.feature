# language: zh-CN
功能: 被采取强制措施人员的子女安置
  虎林 三.（五）：公安、司法等部门在实施强制措施时，应当负责帮助当事人妥善完成将子女依法委托给亲属等自然人
  或民政部门设立的儿童福利机构、救助保护机构等临时代养的安置。无人可以委托的，民政部门临时监护
  （未成年人保护法第九十二条第（三）项）。

  背景:
    假如 童护已部署全部流程并载入演示组织
    而且 今天是 2026-11-20
    而且 "police.430104000000" 在 "430104001001" 为儿童"小宇"发起"custody_child_care"流程：
      | 字段            | 值                          |
      | parent_name     | 李强                        |
      | parent_relation | father                      |
      | measure         | criminal_detention          |
      | measure_on      | 2026-11-20                  |
      | situation       | 母亲已去世，儿童现由邻居临时照看 |

  场景: 当事人委托祖母照护，登记归档并告知村委会纳入走访
    那么 任务"help_entrust"在"police.430104000000"的任务列表中
    而且 任务"help_entrust"须在 24 小时内办理
    当 "police.430104000000" 办理任务"help_entrust"：
      | 字段             | 值                  |
      | decided_on       | 2026-11-20          |
      | parent_heard     | true                |
      | entrust_to       | person              |
      | carer.name       | 王秀英              |
      | carer.id_number  | 43010419580315004X  |
      | carer.relation   | grandparent         |
      | carer.phone      | 13900000003         |
      | carer.address    | 望月湖街道第一社区 3 栋 |
      | carer_consents   | true                |
    那么 流程在结束事件"end_entrusted_person"结束
    而且 儿童档案中的"被采取强制措施人员子女委托照护登记"包含"王秀英"
    而且 "village.430104001001"收到本案件的通知"已委托王秀英照护"

  场景: 受委托人不同意照护的，不能登记为委托亲属照护
    当 "police.430104000000" 尝试办理任务"help_entrust"：
      | 字段             | 值                  |
      | decided_on       | 2026-11-20          |
      | parent_heard     | true                |
      | entrust_to       | person              |
      | carer.name       | 王秀英              |
      | carer.id_number  | 43010419580315004X  |
      | carer.relation   | grandparent         |
      | carer.phone      | 13900000003         |
      | carer.address    | 望月湖街道第一社区 3 栋 |
      | carer_consents   | false               |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"受委托人须同意照护"
    而且 案件待办任务为"help_entrust"

  场景: 当事人委托儿童福利机构临时代养，只有该机构接收
    当 "police.430104000000" 办理任务"help_entrust"：
      | 字段         | 值             |
      | decided_on   | 2026-11-20     |
      | parent_heard | true           |
      | entrust_to   | institution    |
      | care_unit    | 长沙市儿童福利院 |
    那么 任务"admit_entrusted_child"在"unit.cs-welfare"的任务列表中
    而且 任务"admit_entrusted_child"不在"unit.yl-protection"的任务列表中
    而且 任务"admit_entrusted_child"不在"care_institution.430104000000"的任务列表中
    当 "unit.cs-welfare" 办理任务"admit_entrusted_child"：
      | 字段             | 值         |
      | admitted_on      | 2026-11-21 |
      | care_arrangement | 生活照料，原校就读 |
    那么 流程在结束事件"end_institution_care"结束

  场景: 无人可以委托的，民政部门临时监护并选定救助保护机构接收
    当 "police.430104000000" 办理任务"help_entrust"：
      | 字段         | 值            |
      | decided_on   | 2026-11-20    |
      | parent_heard | true          |
      | entrust_to   | civil_affairs |
      | note         | 无其他亲属      |
    那么 任务"decide_temporary_care"在"civil_affairs.430104000000"的任务列表中
    当 "civil_affairs.430104000000" 办理任务"decide_temporary_care"：
      | 字段       | 值                     |
      | decided_on | 2026-11-20             |
      | care_unit  | 岳麓区未成年人救助保护中心 |
    那么 任务"admit_entrusted_child"在"unit.yl-protection"的任务列表中
    而且 任务"admit_entrusted_child"不在"unit.cs-welfare"的任务列表中
    当 "unit.yl-protection" 办理任务"admit_entrusted_child"：
      | 字段             | 值         |
      | admitted_on      | 2026-11-21 |
      | care_arrangement | 生活照料   |
    那么 流程在结束事件"end_institution_care"结束
