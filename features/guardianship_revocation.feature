# language: zh-CN
功能: 撤销监护人资格、临时监护与恢复监护人资格
  湖南 §六.3–4，重庆（十四）–（十九），上海（十五）（十七）（十八），湖北 二.6–7；民法典第三十六至三十八条，
  未成年人保护法第十一、九十二至九十四条，反家庭暴力法第十四、二十三、二十八条。
  任何部门均可发起强制报告，报告人身份仅公安机关和民政部门可见；派出所立即受理处置，民政部门临时监护，
  调查评估后申请撤销，法院一个月内判决；撤销的指定监护人，驳回的重新评估后送返；父母可在三个月至一年内申请恢复。

  背景:
    假如 童护已部署全部流程并载入演示组织
    # 办理记录中的日期在 2026-11 至 2027-05 之间；时钟先到 2027-06-01，这些日期都不在未来。
    当 时间到达 2027-06-01

  场景: 学校强制报告，临时监护后撤销监护人资格，民政部门长期监护
    当 "education.430104000000" 在 "430104001001" 为儿童"小刚"发起"guardianship_revocation"流程：
      | 字段                  | 值                         |
      | reason                | 儿童多次带伤上学，自述被父亲殴打 |
      | location              | 望月湖社区 12 栋             |
      | occurred_on           | 2026-11-19                 |
      | child_in_danger       | true                       |
      | reporter.name         | 张老师                      |
      | reporter.organisation | 望月湖小学                   |
      | reporter.reporter_type | school                    |
      | reporter.phone        | 13800000000                |
    那么 儿童档案中有"强制报告登记表"
    而且 任务"police_handle_report"在"police.430104001000"的任务列表中
    而且 任务"police_handle_report"须在 4 小时内办理
    当 派出所受理处置报告，儿童仍处于危险之中
    那么 任务"decide_temporary_guardianship"须在 24 小时内办理
    当 县民政局决定临时监护，安置于"protection_center"
    那么 任务"medical_check"在"unit.yl-protection"的任务列表中
    而且 任务"medical_check"不在"protection_center.430104000000"的任务列表中
    而且 任务"medical_check"不在"unit.cs-welfare"的任务列表中
    当 救助保护机构完成体检并接收儿童
    那么 任务"township_home_investigation"在"township.430104001000"的任务列表中
    当 家庭监护能力评估结论为"severe_risk"
    而且 县民政局调查评估，决定"revocation"
    那么 儿童档案中的"调查评估报告"包含"吸毒"
    当 县民政局作为申请人申请撤销
    那么 儿童档案中的"撤销监护人资格申请书"包含"无其他个人或组织申请，民政部门依法申请"
    而且 任务"court_accept"只在"court"部门的任务列表中
    当 法院受理申请
    那么 任务"court_rule"只在"court"部门的任务列表中
    而且 任务"court_rule"须在一个月内办理
    当 法院判决撤销监护人资格，指定"civil_affairs"担任监护人
    那么 儿童档案中的"撤销监护人资格案件判决记录"包含"不想回家"
    而且 任务"admit_long_term"在"unit.cs-welfare"的任务列表中
    而且 任务"admit_long_term"不在"welfare_institution.430100000000"的任务列表中
    而且 任务"admit_long_term"不在"unit.yl-protection"的任务列表中
    而且 任务"admit_long_term"的办理说明包含"由案件中选定的儿童福利机构办理：长沙市儿童福利院"
    当 "unit.cs-welfare" 办理任务"admit_long_term"：
      | 字段        | 值                         |
      | admitted_on | 2027-01-05                 |
      | care_plan   | 集中养育，原校就读，定期心理疏导 |
    而且 "civil_affairs.430104000000" 办理任务"aftercare"：
      | 字段                    | 值                     |
      | household_registration  | moved_to_institution   |
      | registration_done_on    | 2027-01-20             |
      | maintenance_arrangement | 原监护人每月负担抚养费 800 元 |
    那么 流程在结束事件"end_revoked_civil_affairs"结束
    而且 已为同一儿童转入"guardianship_restoration"流程
    而且 儿童档案中有"恢复监护人资格申请期告知"
    而且 儿童档案中的"恢复监护人资格申请期告知"包含"法发〔2014〕24号"
    而且 任务"register_application"只在"court"部门的任务列表中

  场景: 任何部门都可以报告，报告人身份只有公安机关和民政部门可见
    当 "health.430104000000" 在 "430104001001" 为儿童"小芳"发起"guardianship_revocation"流程：
      | 字段                  | 值                   |
      | reason                | 急诊发现儿童骨折，疑似受虐 |
      | location              | 岳麓区人民医院急诊科     |
      | occurred_on           | 2026-11-20           |
      | child_in_danger       | true                 |
      | reporter.name         | 李医生                |
      | reporter.organisation | 岳麓区人民医院          |
      | reporter.reporter_type | medical             |
      | reporter.phone        | 0731-88888888        |
    那么 "police.430104001000"查看任务"police_handle_report"时可以看到报告人"李医生"
    而且 儿童档案中的"强制报告登记表"不包含"李医生"
    而且 儿童档案中的"强制报告登记表"包含"身份依法保密"
    当 派出所受理处置报告，儿童仍处于危险之中
    那么 "civil_affairs.430104000000"查看任务"decide_temporary_guardianship"时可以看到报告人"李医生"
    当 县民政局决定临时监护，安置于"protection_center"
    那么 "unit.yl-protection"查看任务"medical_check"时看不到报告人"李医生"
    当 救助保护机构完成体检并接收儿童
    那么 "township.430104001000"查看任务"township_home_investigation"时看不到报告人"李医生"

  场景: 其他地方的部门不能为本地儿童发起强制报告
    当 "education.310104000000" 尝试在 "430104001001" 为儿童"小刚"发起"guardianship_revocation"流程：
      | 字段                  | 值           |
      | reason                | 疑似受虐      |
      | location              | 望月湖社区    |
      | occurred_on           | 2026-11-19   |
      | child_in_danger       | false        |
      | reporter.name         | 王老师        |
      | reporter.organisation | 徐汇区某小学  |
      | reporter.reporter_type | school      |
      | reporter.phone        | 13900000000  |
    那么 请求被拒绝，状态码为 403

  场景: 紧急申请人身安全保护令，法院 24 小时内裁定，与临时监护并行
    当 "village.430104001001" 在 "430104001001" 为儿童"小丽"发起"guardianship_revocation"流程：
      | 字段                  | 值                 |
      | reason                | 父亲酒后持刀威胁儿童  |
      | location              | 望月湖社区          |
      | occurred_on           | 2026-11-21         |
      | child_in_danger       | true               |
      | reporter.name         | 赵主任              |
      | reporter.organisation | 望月湖社区居委会      |
      | reporter.reporter_type | village_committee |
      | reporter.phone        | 13700000000        |
    而且 派出所受理处置报告，儿童仍处于危险之中
    而且 "civil_affairs.430104000000" 办理任务"decide_temporary_guardianship"：
      | 字段                    | 值                 |
      | temporary_guardianship  | true               |
      | guardianship_trigger    | abuse_removed      |
      | placement               | welfare_institution |
      | placement_center_unit   | 岳麓区未成年人救助保护中心 |
      | placement_welfare_unit  | 长沙市儿童福利院     |
      | protection_order        | true               |
      | protection_order_urgent | true               |
      | decision_note           | 儿童面临人身危险     |
    那么 案件待办任务为"court_protection_order_24h、medical_check"
    而且 任务"court_protection_order_24h"只在"court"部门的任务列表中
    而且 任务"court_protection_order_24h"须在 24 小时内办理
    当 "court.430104000000" 办理任务"court_protection_order_24h"：
      | 字段           | 值                     |
      | order_granted  | true                   |
      | ruled_on       | 2026-11-22             |
      | order_measures | 禁止被申请人接触、骚扰儿童 |
    那么 案件待办任务为"medical_check"
    当 "unit.yl-protection" 办理任务"medical_check"：
      | 字段                | 值          |
      | checked_on          | 2026-11-22  |
      | hospital            | 湘雅医院     |
      | health_findings     | 无明显外伤   |
      | injuries_documented | false       |
    那么 任务"admit_welfare_temporary"在"unit.cs-welfare"的任务列表中
    而且 任务"admit_welfare_temporary"不在"welfare_institution.430100000000"的任务列表中
    而且 任务"admit_welfare_temporary"不在"unit.yl-protection"的任务列表中
    当 "unit.cs-welfare" 办理任务"admit_welfare_temporary"：
      | 字段         | 值                |
      | placed_on    | 2026-11-22        |
      | carer        | 长沙市儿童福利院    |
      | arrangements | 临时集中照料       |
    那么 案件待办任务为"township_home_investigation"

  场景: 不申请保护令、不紧急时法院 72 小时内裁定
    当 "village.430104001001" 在 "430104001001" 为儿童"小东"发起"guardianship_revocation"流程：
      | 字段                  | 值               |
      | reason                | 母亲长期辱骂儿童   |
      | location              | 金华社区          |
      | occurred_on           | 2026-11-21       |
      | child_in_danger       | false            |
      | reporter.name         | 钱主任            |
      | reporter.organisation | 望月湖社区居委会    |
      | reporter.reporter_type | village_committee |
      | reporter.phone        | 13600000000      |
    而且 派出所受理处置报告，儿童仍处于危险之中
    而且 "civil_affairs.430104000000" 办理任务"decide_temporary_guardianship"：
      | 字段                    | 值       |
      | temporary_guardianship  | false    |
      | protection_order        | true     |
      | protection_order_urgent | false    |
      | decision_note           | 申请保护令 |
    那么 案件待办任务为"court_protection_order_72h"
    而且 任务"court_protection_order_72h"须在 72 小时内办理

  场景: 家庭教育指导令足以保护儿童，不提起撤销，乡镇跟踪落实
    当 "education.430104000000" 在 "430104001001" 为儿童"小军"发起"guardianship_revocation"流程：
      | 字段                  | 值                   |
      | reason                | 儿童长期无人辅导、经常旷课 |
      | location              | 望月湖社区            |
      | occurred_on           | 2026-11-18           |
      | child_in_danger       | false                |
      | reporter.name         | 孙老师                |
      | reporter.organisation | 望月湖小学             |
      | reporter.reporter_type | school              |
      | reporter.phone        | 13500000000          |
    而且 "police.430104001000" 办理任务"police_handle_report"：
      | 字段            | 值                 |
      | accepted_at     | 2026-11-20T09:15:00+08:00 |
      | police_measures | reprimand          |
      | criminal_case   | false              |
      | child_in_danger | false              |
      | handling_note   | 对监护人训诫，责令接受家庭教育指导 |
    那么 没有为本案儿童发起"legal_aid"流程
    当 县民政局决定不临时监护
    而且 家庭监护能力评估结论为"insufficient"
    而且 县民政局调查评估，决定"family_education_order"
    那么 任务"follow_up_lighter"在"township.430104001000"的任务列表中
    当 "township.430104001000" 办理任务"follow_up_lighter"：
      | 字段               | 值                       |
      | order_issued_by    | court                    |
      | follow_up_findings | 监护人按期参加家庭教育指导课程 |
    那么 流程在结束事件"end_lighter_measure"结束
    而且 儿童档案中的"调查评估报告"包含"家庭教育指导令"
    而且 儿童档案中没有"撤销监护人资格申请书"

  场景: 流浪乞讨、查找不到父母的儿童，按未成年人保护法第九十二条第（一）项临时监护
    当 "police.430104001000" 在 "430104001001" 为儿童"小流"发起"guardianship_revocation"流程：
      | 字段                  | 值                       |
      | reason                | 儿童在车站流浪乞讨，自称不知父母去向 |
      | location              | 岳麓区汽车西站            |
      | occurred_on           | 2026-11-19               |
      | child_in_danger       | true                     |
      | reporter.name         | 吴警官                    |
      | reporter.organisation | 望月湖派出所               |
      | reporter.reporter_type | other_unit              |
      | reporter.phone        | 13600000000              |
    而且 派出所受理处置报告，儿童仍处于危险之中
    而且 "civil_affairs.430104000000" 尝试办理任务"decide_temporary_guardianship"：
      | 字段                   | 值                  |
      | temporary_guardianship | true                |
      | guardianship_trigger   | injured_by_guardian |
      | placement              | protection_center   |
      | placement_center_unit  | 岳麓区未成年人救助保护中心 |
      | protection_order       | false               |
      | decision_note          | 旧的情形代码          |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"guardianship_trigger"
    当 "civil_affairs.430104000000" 办理任务"decide_temporary_guardianship"：
      | 字段                   | 值                       |
      | temporary_guardianship | true                     |
      | guardianship_trigger   | begging_or_unidentified  |
      | placement              | protection_center        |
      | placement_center_unit  | 岳麓区未成年人救助保护中心    |
      | protection_order       | false                    |
      | decision_note          | 流浪乞讨，暂时查找不到父母，民政部门临时监护 |
    那么 任务"medical_check"在"unit.yl-protection"的任务列表中
    而且 儿童档案中的"决定临时监护及保护措施"包含"begging_or_unidentified"

  场景: 被羁押的监护人已释放并恢复照料，调查后无需进一步措施，结案
    当 "police.430104001000" 在 "430104001001" 为儿童"小周"发起"guardianship_revocation"流程：
      | 字段                  | 值                   |
      | reason                | 父亲被行政拘留，儿童无人照料 |
      | location              | 望月湖社区            |
      | occurred_on           | 2026-11-18           |
      | child_in_danger       | false                |
      | reporter.name         | 吴警官                |
      | reporter.organisation | 望月湖派出所           |
      | reporter.reporter_type | other_unit          |
      | reporter.phone        | 13600000000          |
    而且 "police.430104001000" 办理任务"police_handle_report"：
      | 字段            | 值                 |
      | accepted_at     | 2026-11-20T09:15:00+08:00 |
      | police_measures | no_action          |
      | criminal_case   | false              |
      | child_in_danger | false              |
      | handling_note   | 拘留期满，父亲已返家照料 |
    而且 县民政局决定不临时监护
    而且 家庭监护能力评估结论为"adequate"
    而且 县民政局调查评估，决定"no_further_measure"
    那么 流程在结束事件"end_no_further_measure"结束
    而且 儿童档案中的"调查评估报告"包含"无需进一步措施"
    而且 儿童档案中没有"撤销监护人资格申请书"

  场景: 法院驳回申请，重新评估后送返，村委会回访
    当 "village.430104001001" 在 "430104001001" 为儿童"小北"发起"guardianship_revocation"流程：
      | 字段                  | 值               |
      | reason                | 儿童独自在家多日无人照料 |
      | location              | 望月湖社区        |
      | occurred_on           | 2026-11-18       |
      | child_in_danger       | true             |
      | reporter.name         | 周主任            |
      | reporter.organisation | 望月湖社区居委会    |
      | reporter.reporter_type | village_committee |
      | reporter.phone        | 13400000000      |
    而且 派出所受理处置报告，儿童仍处于危险之中
    而且 县民政局决定临时监护，安置于"kinship_care"
    那么 任务"medical_check"在"unit.yl-protection"的任务列表中
    而且 任务"medical_check"不在"protection_center.430104000000"的任务列表中
    当 "unit.yl-protection" 办理任务"medical_check"：
      | 字段                | 值          |
      | checked_on          | 2026-11-21  |
      | hospital            | 岳麓区妇幼保健院 |
      | health_findings     | 营养不良     |
      | injuries_documented | false       |
    那么 任务"place_with_family"在"civil_affairs.430104000000"的任务列表中
    当 "civil_affairs.430104000000" 办理任务"place_with_family"：
      | 字段         | 值            |
      | placed_on    | 2026-11-21    |
      | carer        | 外祖母 陈某     |
      | arrangements | 外祖母家暂住    |
    而且 家庭监护能力评估结论为"severe_risk"
    而且 县民政局调查评估，决定"revocation"
    而且 "civil_affairs.430104000000" 办理任务"choose_applicant"：
      | 字段                 | 值               |
      | other_applicant      | relative         |
      | other_applicant_name | 陈某（外祖母）     |
      | procuratorate_review | false            |
      | application_grounds  | 父母长期外出，不履行监护职责 |
    那么 儿童档案中的"撤销监护人资格申请书"包含"陈某（外祖母）"
    当 法院受理申请
    而且 "court.430104000000" 办理任务"court_rule"：
      | 字段                   | 值           |
      | hearing_date           | 2026-12-20   |
      | child_can_express_view | false        |
      | court_ruling           | rejected     |
      | ruling_reasons         | 父亲已返乡并承诺履行监护职责 |
    那么 儿童档案中的"撤销监护人资格案件判决记录"包含"驳回申请"
    而且 任务"township_home_investigation"在"township.430104001000"的任务列表中
    当 家庭监护能力评估结论为"insufficient"
    那么 儿童档案中的"儿童返回家庭告知书"包含"村（居）民委员会"
    当 "civil_affairs.430104000000" 办理任务"return_home"：
      | 字段         | 值                  |
      | returned_on  | 2027-01-05          |
      | received_by  | 父亲 刘某             |
      | support_plan | 家庭教育指导，每月走访  |
    而且 "village.430104001001" 办理任务"return_visit"：
      | 字段                  | 值           |
      | visited_on            | 2027-01-10   |
      | visit_findings        | 父亲照料尚可   |
      | further_visits_needed | true         |
    那么 流程仍在进行中
    而且 "village.430104001001"的任务列表中没有本案件的任务
    当 时间过去 31 天
    那么 任务"return_visit"在"village.430104001001"的任务列表中
    当 村委会回访，情况稳定
    那么 流程在结束事件"end_returned_home"结束

  场景: 驳回后重新评估仍有严重风险，不得送返，重新申请撤销
    当 "village.430104001001" 在 "430104001001" 为儿童"小南"发起"guardianship_revocation"流程：
      | 字段                  | 值               |
      | reason                | 儿童遭父亲殴打    |
      | location              | 望月湖社区        |
      | occurred_on           | 2026-11-18       |
      | child_in_danger       | true             |
      | reporter.name         | 吴主任            |
      | reporter.organisation | 望月湖社区居委会    |
      | reporter.reporter_type | village_committee |
      | reporter.phone        | 13300000000      |
    而且 经派出所处置、临时监护、调查评估，县民政局申请撤销，法院已受理
    而且 "court.430104000000" 办理任务"court_rule"：
      | 字段                   | 值         |
      | hearing_date           | 2026-12-20 |
      | child_can_express_view | false      |
      | court_ruling           | rejected   |
      | ruling_reasons         | 证据不足    |
    而且 家庭监护能力评估结论为"severe_risk"
    那么 案件待办任务为"choose_applicant"
    而且 儿童档案中没有"儿童返回家庭告知书"

  场景: 检察院书面建议民政部门申请撤销
    当 "police.430104001000" 在 "430104001001" 为儿童"小西"发起"guardianship_revocation"流程：
      | 字段                  | 值                |
      | reason                | 监护人涉嫌虐待被立案 |
      | location              | 望月湖社区         |
      | occurred_on           | 2026-11-15        |
      | child_in_danger       | true              |
      | reporter.name         | 郑警官             |
      | reporter.organisation | 望月湖派出所        |
      | reporter.reporter_type | other_unit        |
      | reporter.phone        | 110               |
    而且 派出所受理处置报告，儿童仍处于危险之中
    而且 县民政局决定临时监护，安置于"protection_center"
    而且 救助保护机构完成体检并接收儿童
    而且 家庭监护能力评估结论为"severe_risk"
    而且 县民政局调查评估，决定"revocation"
    而且 "civil_affairs.430104000000" 办理任务"choose_applicant"：
      | 字段                 | 值                    |
      | other_applicant      | none                  |
      | procuratorate_review | true                  |
      | application_grounds  | 监护人因虐待被提起公诉    |
    那么 任务"procuratorate_review"只在"procuratorate"部门的任务列表中
    当 "procuratorate.430104000000" 尝试办理任务"procuratorate_review"：
      | 字段                  | 值                      |
      | procuratorate_action  | recommend_civil_affairs |
      | procuratorate_opinion | 建议民政部门依法申请撤销   |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"document_number"
    当 "procuratorate.430104000000" 办理任务"procuratorate_review"：
      | 字段                  | 值                      |
      | procuratorate_action  | recommend_civil_affairs |
      | document_number       | 岳检民建〔2026〕5号        |
      | procuratorate_opinion | 建议民政部门依法申请撤销   |
    那么 儿童档案中的"撤销监护人资格申请书"包含"岳检民建〔2026〕5号"
    而且 任务"court_accept"在"court.430104000000"的任务列表中
    而且 任务"court_accept"不在"procuratorate.430104000000"的任务列表中

  场景: 检察院支持其他申请人起诉
    当 "village.430104001001" 在 "430104001001" 为儿童"小中"发起"guardianship_revocation"流程：
      | 字段                  | 值               |
      | reason                | 儿童遭母亲虐待    |
      | location              | 望月湖社区        |
      | occurred_on           | 2026-11-18       |
      | child_in_danger       | true             |
      | reporter.name         | 冯主任            |
      | reporter.organisation | 望月湖社区居委会    |
      | reporter.reporter_type | village_committee |
      | reporter.phone        | 13200000000      |
    而且 派出所受理处置报告，儿童仍处于危险之中
    而且 县民政局决定临时监护，安置于"protection_center"
    而且 救助保护机构完成体检并接收儿童
    而且 家庭监护能力评估结论为"severe_risk"
    而且 县民政局调查评估，决定"revocation"
    而且 "civil_affairs.430104000000" 办理任务"choose_applicant"：
      | 字段                 | 值            |
      | other_applicant      | womens_federation |
      | other_applicant_name | 岳麓区妇联      |
      | procuratorate_review | true          |
      | application_grounds  | 母亲长期虐待儿童 |
    而且 "procuratorate.430104000000" 办理任务"procuratorate_review"：
      | 字段                  | 值            |
      | procuratorate_action  | support_suit  |
      | procuratorate_opinion | 支持妇联起诉    |
    那么 儿童档案中的"撤销监护人资格申请书"包含"岳麓区妇联"
    而且 儿童档案中的"撤销监护人资格申请书"包含"支持起诉"

  场景: 撤销后指定亲属监护；父母在三个月内申请恢复被拒，期内再次申请后恢复监护人资格
    当 "village.430104001001" 在 "430104001001" 为儿童"小强"发起"guardianship_revocation"流程：
      | 字段                  | 值               |
      | reason                | 父亲吸毒后殴打儿童  |
      | location              | 望月湖社区        |
      | occurred_on           | 2026-11-18       |
      | child_in_danger       | true             |
      | reporter.name         | 陈主任            |
      | reporter.organisation | 望月湖社区居委会    |
      | reporter.reporter_type | village_committee |
      | reporter.phone        | 13100000000      |
    而且 经派出所处置、临时监护、调查评估，县民政局申请撤销，法院已受理
    而且 法院判决撤销监护人资格，指定"relative"担任监护人
    而且 "civil_affairs.430104000000" 办理任务"handover_to_relative"：
      | 字段           | 值              |
      | handed_over_on | 2027-01-02      |
      | guardian_name  | 刘奶奶           |
      | handover_note  | 祖母监护，村委会协助 |
    而且 "civil_affairs.430104000000" 办理任务"aftercare"：
      | 字段                    | 值                 |
      | household_registration  | unchanged          |
      | registration_done_on    | 2027-01-05         |
      | maintenance_arrangement | 父亲负担抚养费       |
    那么 流程在结束事件"end_revoked_relative"结束
    当 转到为同一儿童发起的"guardianship_restoration"流程
    而且 时间过去 60 天
    而且 "court.430104000000" 办理任务"register_application"：
      | 字段                            | 值            |
      | applicant_name                  | 刘某          |
      | applicant_relation              | father        |
      | intentional_crime_against_child | false         |
      | conduct_change                  | 已完成戒毒，有稳定工作 |
    那么 儿童档案中的"恢复监护人资格申请不予受理通知"包含"最早可于"
    而且 任务"register_application"在"court.430104000000"的任务列表中
    当 时间过去 40 天
    而且 "court.430104000000" 办理任务"register_application"：
      | 字段                            | 值            |
      | applicant_name                  | 刘某          |
      | applicant_relation              | father        |
      | intentional_crime_against_child | false         |
      | conduct_change                  | 已完成戒毒，有稳定工作 |
    那么 儿童档案中的"恢复监护人资格申请受理通知"包含"予以受理"
    当 家庭监护能力评估结论为"adequate"
    而且 "civil_affairs.430104000000" 办理任务"restoration_opinion"：
      | 字段                  | 值          |
      | recommend_restoration | true        |
      | child_wishes          | 愿意回到父亲身边 |
      | opinion               | 监护能力已恢复 |
    那么 任务"court_rule_restoration"只在"court"部门的任务列表中
    当 "court.430104000000" 办理任务"court_rule_restoration"：
      | 字段                   | 值           |
      | hearing_date           | 2027-04-20   |
      | child_can_express_view | true         |
      | child_view             | 想和爸爸一起生活 |
      | restoration_ruling     | restored     |
      | ruling_reasons         | 确有悔改表现   |
    那么 儿童档案中的"恢复监护人资格案件判决记录"包含"恢复监护人资格"
    而且 儿童档案中有"儿童返回家庭告知书"
    当 "civil_affairs.430104000000" 办理任务"return_home"：
      | 字段         | 值             |
      | returned_on  | 2027-05-01     |
      | received_by  | 父亲 刘某        |
      | support_plan | 每月走访，戒毒跟踪 |
    而且 村委会回访，情况稳定
    那么 流程在结束事件"end_restored"结束

  场景: 没有依法具有监护资格的亲属，法院指定儿童住所地的居民委员会担任监护人
    当 "village.430104001001" 在 "430104001001" 为儿童"小宁"发起"guardianship_revocation"流程：
      | 字段                  | 值               |
      | reason                | 父亲长期吸毒，母亲下落不明 |
      | location              | 望月湖社区        |
      | occurred_on           | 2026-11-18       |
      | child_in_danger       | true             |
      | reporter.name         | 陈主任            |
      | reporter.organisation | 望月湖社区居委会    |
      | reporter.reporter_type | village_committee |
      | reporter.phone        | 13100000000      |
    而且 经派出所处置、临时监护、调查评估，县民政局申请撤销，法院已受理
    而且 "court.430104000000" 尝试办理任务"court_rule"：
      | 字段                   | 值             |
      | hearing_date           | 2026-12-20     |
      | child_can_express_view | false          |
      | court_ruling           | revoked        |
      | designated_guardian    | willing_person |
      | designated_relative_name | 张某（邻居）   |
      | maintenance_ordered    | false          |
      | ruling_reasons         | 监护人严重侵害被监护人合法权益 |
    那么 请求被拒绝，状态码为 422
    当 法院判决撤销监护人资格，指定"village_committee"担任监护人
    那么 儿童档案中的"撤销监护人资格案件判决记录"包含"儿童住所地的村（居）民委员会：望月湖社区居民委员会"
    而且 任务"落实被指定监护人交接"在"civil_affairs.430104000000"的任务列表中
    当 "civil_affairs.430104000000" 办理任务"handover_to_relative"：
      | 字段           | 值              |
      | handed_over_on | 2027-01-02      |
      | guardian_name  | 望月湖社区居民委员会 |
      | handover_note  | 居委会担任监护人，儿童主任具体照料安排 |
    而且 "civil_affairs.430104000000" 办理任务"aftercare"：
      | 字段                    | 值                 |
      | household_registration  | unchanged          |
      | registration_done_on    | 2027-01-05         |
      | maintenance_arrangement | 父亲负担抚养费       |
    那么 流程在结束事件"end_revoked_relative"结束

  场景: 撤销监护人资格的判决终止该儿童正在履行的五方委托照护协议，定期走访随之结束
    当 "village.430104001001" 在 "430104001001" 为儿童"小芳"发起"entrustment_care"流程：
      | 字段          | 值                         |
      | category      | de_facto_unsupported       |
      | reason        | 父亲长期酗酒，祖母年迈无力照料 |
      | discovered_by | monthly_contact            |
    而且 委托照护协议生效，儿童于 2027-06-01 入住
    那么 儿童档案中的"五方委托照护协议"包含"监护人每月探视一次"
    而且 儿童档案中的"五方委托照护协议"包含"儿童基本生活费由委托照护机构代为管理"
    而且 定期走访"儿童督导员半年回访"仍在进行，下次于 2027-12-01 到期
    当 "education.430104000000" 在 "430104001001" 为儿童"小芳"发起"guardianship_revocation"流程：
      | 字段                   | 值                     |
      | reason                 | 父亲探视时酒后殴打儿童     |
      | location               | 望月湖社区               |
      | occurred_on            | 2027-05-30             |
      | child_in_danger        | true                   |
      | reporter.name          | 张老师                  |
      | reporter.organisation  | 望月湖小学               |
      | reporter.reporter_type | school                 |
      | reporter.phone         | 13800000000            |
    而且 经派出所处置、临时监护、调查评估，县民政局申请撤销，法院已受理
    而且 法院判决撤销监护人资格，指定"civil_affairs"担任监护人
    那么 儿童档案中有"委托照护协议终止：监护人资格被撤销"
    而且 定期走访"儿童督导员半年回访"已结束，原因为"监护人资格被撤销"
    当 转到为同一儿童发起的"entrustment_care"流程
    那么 流程在结束事件"end_agreement_terminated"结束
    而且 儿童档案中的"登记协议终止"包含"guardianship_revoked"

  场景: 儿童年满十八周岁，尚未办结的撤销监护人资格程序于生日当天结案并记入档案
    当 "education.430104000000" 在 "430104001001" 为儿童"小军"发起"guardianship_revocation"流程：
      | 字段                   | 值                  |
      | child.birth_date       | 2009-06-15          |
      | child.gender           | male                |
      | reason                 | 儿童多次带伤上学       |
      | location               | 望月湖社区            |
      | occurred_on            | 2027-05-30          |
      | child_in_danger        | true                |
      | reporter.name          | 张老师               |
      | reporter.organisation  | 望月湖小学            |
      | reporter.reporter_type | school              |
      | reporter.phone         | 13800000000         |
    而且 派出所受理处置报告，儿童仍处于危险之中
    而且 县民政局决定临时监护，安置于"protection_center"
    而且 时间到达 2027-06-14T23:00:00
    那么 流程仍在进行中
    而且 任务"medical_check"在"unit.yl-protection"的任务列表中
    当 时间到达 2027-06-15T00:30:00
    那么 儿童档案中的"儿童年满十八周岁"包含"撤销监护人资格程序结案"
    而且 "unit.yl-protection"的任务列表中没有本案件的任务
    当 时间过去 1 天
    那么 儿童档案中"儿童年满十八周岁"的记录只有 1 条

  场景: 撤销满一年未申请恢复，申请期届满
    当 "village.430104001001" 在 "430104001001" 为儿童"小亮"发起"guardianship_revocation"流程：
      | 字段                  | 值               |
      | reason                | 父亲长期服刑，母亲下落不明 |
      | location              | 望月湖社区        |
      | occurred_on           | 2026-11-18       |
      | child_in_danger       | true             |
      | reporter.name         | 褚主任            |
      | reporter.organisation | 望月湖社区居委会    |
      | reporter.reporter_type | village_committee |
      | reporter.phone        | 13000000000      |
    而且 经派出所处置、临时监护、调查评估，县民政局申请撤销，法院已受理
    而且 法院判决撤销监护人资格，指定"civil_affairs"担任监护人
    而且 "unit.cs-welfare" 办理任务"admit_long_term"：
      | 字段        | 值        |
      | admitted_on | 2027-01-05 |
      | care_plan   | 集中养育    |
    而且 "civil_affairs.430104000000" 办理任务"aftercare"：
      | 字段                    | 值                   |
      | household_registration  | moved_to_institution |
      | registration_done_on    | 2027-01-20           |
      | maintenance_arrangement | 原监护人服刑，暂缓追索 |
    而且 转到为同一儿童发起的"guardianship_restoration"流程
    而且 时间过去 360 天
    那么 流程仍在进行中
    当 时间过去 10 天
    那么 流程在结束事件"end_window_closed"结束
    而且 "court.430104000000"的任务列表中没有本案件的任务

  场景: 曾对儿童实施故意犯罪的父母申请恢复，依法不予受理
    当 "village.430104001001" 在 "430104001001" 为儿童"小光"发起"guardianship_revocation"流程：
      | 字段                  | 值               |
      | reason                | 母亲故意伤害儿童   |
      | location              | 望月湖社区        |
      | occurred_on           | 2026-11-18       |
      | child_in_danger       | true             |
      | reporter.name         | 卫主任            |
      | reporter.organisation | 望月湖社区居委会    |
      | reporter.reporter_type | village_committee |
      | reporter.phone        | 13000000001      |
    而且 经派出所处置、临时监护、调查评估，县民政局申请撤销，法院已受理
    而且 法院判决撤销监护人资格，指定"civil_affairs"担任监护人
    而且 "unit.cs-welfare" 办理任务"admit_long_term"：
      | 字段        | 值        |
      | admitted_on | 2027-01-05 |
      | care_plan   | 集中养育    |
    而且 "civil_affairs.430104000000" 办理任务"aftercare"：
      | 字段                    | 值                   |
      | household_registration  | moved_to_institution |
      | registration_done_on    | 2027-01-20           |
      | maintenance_arrangement | 依法追索抚养费         |
    而且 转到为同一儿童发起的"guardianship_restoration"流程
    而且 时间过去 120 天
    而且 "court.430104000000" 办理任务"register_application"：
      | 字段                            | 值     |
      | applicant_name                  | 孙某   |
      | applicant_relation              | mother |
      | intentional_crime_against_child | true   |
      | conduct_change                  | 已刑满释放 |
    那么 流程在结束事件"end_refused"结束
    而且 儿童档案中的"恢复监护人资格申请不予受理通知"包含"故意犯罪"

  场景: 委托照护评估为严重监护风险，移交撤销程序并带入评估结论
    当 "village.430104001001" 在 "430104001001" 为儿童"小红"发起"entrustment_care"流程：
      | 字段          | 值                     |
      | category      | de_facto_unsupported   |
      | reason        | 父亲吸毒，儿童无人照料     |
      | discovered_by | home_visit             |
    而且 乡镇完成入户调查
    而且 "civil_affairs.430104000000" 办理任务"assess_capacity"：
      | 字段                  | 值          |
      | health_rating         | absent      |
      | income_rating         | weak        |
      | ability_rating        | absent      |
      | assessors             | 刘科长      |
      | assessed_on           | 2026-11-20  |
      | guardianship_capacity | severe_risk |
      | assessment_summary    | 监护人吸毒，儿童处于危险之中 |
    那么 流程在结束事件"end_handover_revocation"结束
    而且 已为同一儿童转入"guardianship_revocation"流程
    而且 儿童档案中的"移交撤销监护人资格程序登记"包含"监护人吸毒，儿童处于危险之中"
    而且 案件待办任务为"decide_temporary_guardianship"
    当 县民政局决定临时监护，安置于"protection_center"
    而且 救助保护机构完成体检并接收儿童
    那么 案件待办任务为"investigate"
    当 县民政局调查评估，决定"revocation"
    那么 儿童档案中的"调查评估报告"包含"存在严重监护风险"
    而且 案件待办任务为"choose_applicant"

  场景: 监护人拒绝委托致儿童处于危困状态，同样移交撤销程序
    当 "village.430104001001" 在 "430104001001" 为儿童"小白"发起"entrustment_care"流程：
      | 字段          | 值                     |
      | category      | de_facto_unsupported   |
      | reason        | 祖母年迈无力照料          |
      | discovered_by | monthly_contact        |
    而且 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 "village.430104001001" 办理任务"record_guardian_consent"：
      | 字段              | 值           |
      | guardian_consents | false        |
      | child_in_danger   | true         |
      | consent_note      | 监护人拒绝委托，儿童长期无人照料 |
    那么 流程在结束事件"end_handover_revocation"结束
    而且 已为同一儿童转入"guardianship_revocation"流程
    而且 案件待办任务为"decide_temporary_guardianship"

  场景: 撤销监护人资格案件仅经办单位及其主管可查阅，查阅记入审计日志
    当 "education.430104000000" 在 "430104001001" 为儿童"小静"发起"guardianship_revocation"流程：
      | 字段                  | 值                         |
      | reason                | 儿童自述遭继父性侵           |
      | location              | 望月湖社区 8 栋              |
      | occurred_on           | 2026-11-19                 |
      | child_in_danger       | true                       |
      | reporter.name         | 李老师                      |
      | reporter.organisation | 望月湖小学                   |
      | reporter.reporter_type | school                    |
      | reporter.phone        | 13800000000                |
    而且 派出所受理处置报告，儿童仍处于危险之中
    而且 "police"在"430104000000"设有主管"supervisor.police.430104000000"
    那么 "civil_affairs.430104000000"可以查阅本撤销案件
    而且 审计日志记有"civil_affairs.430104000000"查阅本撤销案件
    而且 "police.430104001000"可以查阅本撤销案件
    而且 审计日志记有"police.430104001000"查阅本撤销案件
    而且 "education.430104000000"可以查阅本撤销案件
    而且 "supervisor.police.430104000000"可以查阅本撤销案件
    而且 审计日志记有"supervisor.police.430104000000"查阅本撤销案件
    而且 "civil_affairs.430100000000"不能查阅本撤销案件，儿童档案和案件查询中也看不到它
    而且 "police.430104000000"不能查阅本撤销案件，儿童档案和案件查询中也看不到它
    而且 "police.430104002000"不能查阅本撤销案件，儿童档案和案件查询中也看不到它
    而且 "health.430104000000"不能查阅本撤销案件，儿童档案和案件查询中也看不到它

  场景: 临时监护和长期监护必须选定安置机构，未选定时说明要选哪一家，已填写的不丢失
    当 "education.430104000000" 在 "430104001001" 为儿童"小川"发起"guardianship_revocation"流程：
      | 字段                   | 值                         |
      | reason                 | 儿童多次带伤上学，自述被父亲殴打 |
      | location               | 望月湖社区 12 栋             |
      | occurred_on            | 2026-11-19                 |
      | child_in_danger        | true                       |
      | reporter.name          | 张老师                      |
      | reporter.organisation  | 望月湖小学                   |
      | reporter.reporter_type | school                     |
      | reporter.phone         | 13800000000                |
    而且 派出所受理处置报告，儿童仍处于危险之中
    而且 "civil_affairs.430104000000" 尝试办理任务"decide_temporary_guardianship"：
      | 字段                   | 值                 |
      | temporary_guardianship | true               |
      | guardianship_trigger   | abuse_removed      |
      | placement              | kinship_care       |
      | protection_order       | false              |
      | decision_note          | 由祖母临时照料        |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"请选择负责体检的未成年人救助保护机构"
    而且 案件待办任务为"decide_temporary_guardianship"
    当 "civil_affairs.430104000000" 尝试办理任务"decide_temporary_guardianship"：
      | 字段                   | 值                 |
      | temporary_guardianship | true               |
      | guardianship_trigger   | abuse_removed      |
      | placement              | welfare_institution |
      | placement_center_unit  | 岳麓区未成年人救助保护中心 |
      | protection_order       | false              |
      | decision_note          | 送儿童福利院临时照料    |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"请选择收留抚养的儿童福利机构"
    而且 案件待办任务为"decide_temporary_guardianship"
    当 县民政局决定临时监护，安置于"protection_center"
    那么 任务"medical_check"在"unit.yl-protection"的任务列表中
    当 救助保护机构完成体检并接收儿童
    而且 家庭监护能力评估结论为"severe_risk"
    而且 县民政局调查评估，决定"revocation"
    而且 县民政局作为申请人申请撤销
    而且 法院受理申请
    而且 "court.430104000000" 尝试办理任务"court_rule"：
      | 字段                   | 值             |
      | hearing_date           | 2026-12-20     |
      | child_can_express_view | false          |
      | court_ruling           | revoked        |
      | designated_guardian    | civil_affairs  |
      | maintenance_ordered    | true           |
      | ruling_reasons         | 监护人严重侵害被监护人合法权益 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"请选择长期养育的儿童福利机构"
    而且 案件待办任务为"court_rule"
    当 法院判决撤销监护人资格，指定"civil_affairs"担任监护人
    那么 任务"admit_long_term"在"unit.cs-welfare"的任务列表中
    而且 任务"admit_long_term"不在"welfare_institution.430100000000"的任务列表中
