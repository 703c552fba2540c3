# language: zh-CN
功能: 五方委托照护协议
  湖南 §三.1–3、§六.3：儿童主任发现监护困难儿童并报告；县级民政局会同乡镇开展家庭监护能力评估；
  依据评估结果常规帮扶、委托照护或移交撤销监护人资格程序；五方各自独立签署，全部签署后协议生效。

  背景:
    假如 童护已部署全部流程并载入演示组织
    而且 "village.430104001001" 在 "430104001001" 为儿童"小红"发起"entrustment_care"流程：
      | 字段          | 值                           |
      | category      | de_facto_unsupported         |
      | reason        | 父母外出务工，祖母年迈多病无力照料 |
      | discovered_by | monthly_contact              |

  场景: 乡镇入户调查后由县民政局评估
    那么 任务"township_home_investigation"在"township.430104001000"的任务列表中
    而且 任务"township_home_investigation"不在"village.430104001001"的任务列表中
    当 "township.430104001000" 办理任务"入户调查监护情况"：
      | 字段              | 值         |
      | guardian_name     | 王秀英     |
      | guardian_relation | grandparent |
      | health            | 高血压，行动不便 |
      | income            | 低保        |
      | living_conditions | 祖孙二人同住 |
    那么 任务"assess_capacity"在"civil_affairs.430104000000"的任务列表中

  场景: 监护能力充足，常规帮扶并记下复评日期
    当 乡镇完成入户调查
    而且 "civil_affairs.430104000000" 办理任务"assess_capacity"：
      | 字段                  | 值       |
      | health_rating         | good     |
      | income_rating         | good     |
      | ability_rating        | weak     |
      | assessors             | 刘科长、李督导员 |
      | assessed_on           | 2026-11-20 |
      | guardianship_capacity | adequate |
      | assessment_summary    | 监护人身体健康，收入稳定 |
    那么 儿童名册中的监护风险等级为"green"
    而且 儿童名册中的监护风险等级由"岳麓区民政局"评定，理由包含"家庭监护能力评估：监护能力充足（2026-11-20）"
    而且 儿童档案中的"家庭监护能力评估记录"包含"刘科长、李督导员"
    而且 儿童档案中的"家庭监护能力评估记录"包含"履行监护职责的实际能力"
    而且 儿童档案中有"监护风险等级：绿色"
    而且 任务"ordinary_support"在"township.430104001000"的任务列表中
    # 复评至迟两年（湖南 §六.3）：更晚的复评日期不予保存
    当 "township.430104001000" 尝试办理任务"ordinary_support"：
      | 字段              | 值         |
      | support_measures  | 每月走访，协助申请临时救助 |
      | reassessment_date | 2031-11-01 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"不能晚于今天起 2 年"
    而且 任务"ordinary_support"在"township.430104001000"的任务列表中
    当 "township.430104001000" 办理任务"ordinary_support"：
      | 字段              | 值         |
      | support_measures  | 每月走访，协助申请临时救助 |
      | reassessment_date | 2028-11-01 |
    那么 流程在结束事件"end_ordinary_support"结束
    而且 儿童档案中的"落实常规关爱帮扶"包含"2028-11-01"
    # 按期复评（湖南 §六.3）：复评日期前一个月，调度程序为儿童开启家庭监护能力评估，先由乡镇入户调查
    当 时间到达 2028-09-30
    那么 "township.430104001000"的任务列表中没有儿童的任务"township_home_investigation"
    当 时间到达 2028-10-01
    那么 "township.430104001000"的任务列表中有儿童的任务"township_home_investigation"
    而且 儿童"小红"有正在进行的"guardianship_assessment"案件

  场景: 存在严重监护风险，移交撤销监护人资格程序
    当 乡镇完成入户调查
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
    而且 儿童名册中的监护风险等级为"red"

  场景: 评估须逐项评定湖南 §六.3 的三个方面并写明评估人员和日期，缺项不予保存
    当 乡镇完成入户调查
    而且 "civil_affairs.430104000000" 尝试办理任务"assess_capacity"：
      | 字段                  | 值       |
      | guardianship_capacity | adequate |
      | assessment_summary    | 看起来还行 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"health_rating"
    而且 拒绝理由包含"income_rating"
    而且 拒绝理由包含"ability_rating"
    而且 拒绝理由包含"assessors"
    而且 拒绝理由包含"assessed_on"
    而且 案件待办任务为"assess_capacity"

  场景: 监护人拒绝委托且儿童因此处于危困状态，移交撤销监护人资格程序
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 "village.430104001001" 办理任务"record_guardian_consent"：
      | 字段              | 值    |
      | guardian_consents | false |
      | child_in_danger   | true  |
      | consent_note      | 监护人拒绝委托，儿童独自在家、多日无人照料 |
    那么 流程在结束事件"end_handover_revocation"结束
    而且 已为同一儿童转入"guardianship_revocation"流程

  场景: 监护人拒绝委托但儿童未处于危困状态，常规帮扶并复评，不启动撤销
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    那么 儿童名册中的监护风险等级为"yellow"
    当 "village.430104001001" 尝试办理任务"record_guardian_consent"：
      | 字段              | 值    |
      | guardian_consents | false |
      | consent_note      | 监护人拒绝委托 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"child_in_danger"
    当 "village.430104001001" 办理任务"监护人委托意愿确认"：
      | 字段              | 值    |
      | guardian_consents | false |
      | child_in_danger   | false |
      | consent_note      | 祖母坚持自己照料，儿童饮食起居有人照看 |
    那么 任务"ordinary_support"在"township.430104001000"的任务列表中
    当 "township.430104001000" 办理任务"落实常规关爱帮扶"：
      | 字段              | 值         |
      | support_measures  | 家庭教育指导，每月走访 |
      | reassessment_date | 2027-11-20 |
    那么 流程在结束事件"end_ordinary_support"结束
    而且 没有为同一儿童转入"guardianship_revocation"流程

  场景: 五方全部签署，协议生效并归档
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 监护人同意委托且民政局拟定协议
    那么 案件待办任务为"sign_guardian、sign_village、sign_township、sign_institution、sign_civil_affairs"
    而且 任务"sign_institution"在"unit.cs-welfare"的任务列表中
    而且 任务"sign_guardian"在"village.430104001001"的任务列表中
    当 五方均签署协议
    那么 儿童档案中的"五方委托照护协议"包含"长沙市儿童福利院"
    而且 任务"admit_child"在"unit.cs-welfare"的任务列表中
    当 "unit.cs-welfare" 办理任务"admit_child"：
      | 字段        | 值 |
      | admitted_on | 2026-12-01 |
      | care_plan   | 日常照料、学业辅导、每季度心理健康教育 |
    那么 流程仍在进行中
    当 "civil_affairs.430104000000" 办理任务"terminate_agreement"：
      | 字段               | 值 |
      | termination_reason | turned_18 |
      | terminated_on      | 2033-06-01 |
    那么 流程在结束事件"end_agreement_terminated"结束

  场景: 一方拒签，民政协调后重新签署
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 监护人同意委托且民政局拟定协议
    而且 "township.430104001000" 办理任务"sign_township"：
      | 字段      | 值 |
      | signed    | false |
      | signatory | 李四 |
      | signed_on | 2026-11-20 |
      | remarks   | 对回访频次有异议 |
    而且 其余四方签署协议
    那么 案件待办任务为"mediate_signing"
    当 "civil_affairs.430104000000" 办理任务"mediate_signing"：
      | 字段               | 值 |
      | mediation_outcome  | restart |
      | mediation_note     | 已与乡镇协商回访频次 |
    那么 案件待办任务为"sign_guardian、sign_village、sign_township、sign_institution、sign_civil_affairs"
    当 五方均签署协议
    那么 儿童档案中有"五方委托照护协议"

  场景: 协调未果，终止本次委托
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 监护人同意委托且民政局拟定协议
    而且 "village.430104001001" 办理任务"sign_guardian"：
      | 字段      | 值 |
      | signed    | false |
      | signatory | 王秀英 |
      | signed_on | 2026-11-20 |
      | child_in_danger | false |
    而且 其余四方签署协议
    当 "civil_affairs.430104000000" 办理任务"mediate_signing"：
      | 字段               | 值 |
      | mediation_outcome  | abandon |
      | mediation_note     | 监护人坚持不签 |
    那么 流程在结束事件"end_not_agreed"结束
    而且 没有为同一儿童转入"guardianship_revocation"流程

  场景: 监护人拒签协议且儿童因此处于危困状态，不再协调，移交撤销程序
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 监护人同意委托且民政局拟定协议
    而且 "village.430104001001" 尝试办理任务"监护人签署"：
      | 字段      | 值 |
      | signed    | false |
      | signatory | 王秀英 |
      | signed_on | 2026-11-20 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"child_in_danger"
    当 "village.430104001001" 办理任务"监护人签署"：
      | 字段      | 值 |
      | signed    | false |
      | signatory | 王秀英 |
      | signed_on | 2026-11-20 |
      | child_in_danger | true |
      | remarks   | 监护人签署前反悔，儿童已连续多日无人照料 |
    而且 其余四方签署协议
    那么 流程在结束事件"end_handover_revocation"结束
    而且 已为同一儿童转入"guardianship_revocation"流程
    而且 案件待办任务为"decide_temporary_guardianship"

  场景: 其他乡镇的村委会看不到本案件
    那么 "village.430104002001"的任务列表中没有本案件的任务
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    那么 任务"record_guardian_consent"在"village.430104001001"的任务列表中
    而且 "village.430104002001"的任务列表中没有本案件的任务
    而且 "village.430104001002"的任务列表中没有本案件的任务

  场景: 其他部门的用户不能办理任务
    当 "police.430104000000" 尝试办理任务"township_home_investigation"：
      | 字段              | 值 |
      | guardian_name     | 王秀英 |
      | guardian_relation | grandparent |
      | health            | 良好 |
      | income            | 稳定 |
      | living_conditions | 良好 |
    那么 请求被拒绝，状态码为 403
    而且 任务"township_home_investigation"在"township.430104001000"的任务列表中

  场景: 上海的民政局看不到湖南的案件
    那么 "civil_affairs.310104000000"的任务列表中没有本案件的任务
    当 乡镇完成入户调查
    那么 任务"assess_capacity"不在"civil_affairs.310104000000"的任务列表中
