# language: zh-CN
功能: 留守儿童委托照护
  父母因外出务工不能完全履行监护职责的，委托具有照护能力的成年人代为照护（未成年人保护法第二十二条）。
  村（居）民委员会儿童主任指导签订委托照护协议书并督促履职（重庆（十七）），每三个月入户走访；
  发现被委托照护人缺乏照护能力或怠于履职的，告知父母，由父母重新选择被委托照护人，
  或帮助、督促其履职——这是村委会的职责（湖北 二.5）；情节严重的报告公安机关，
  公安机关予以训诫并可责令接受家庭教育指导，同时强制报告。五方委托照护协议只适用于
  散居孤儿和事实无人抚养儿童（湖南 §三.1）。

  背景:
    假如 童护已部署全部流程并载入演示组织
    而且 今天是 2026-11-20
    而且 "village.430104001001" 在 "430104001001" 为儿童"小军"发起"left_behind_entrustment"流程：
      | 字段               | 值                          |
      | situation          | both_away                   |
      | parents_away_since | 2026-09-01                  |
      | reason             | 父母在广东务工，拟委托祖母照护 |
      | discovered_by      | monthly_contact             |

  场景: 儿童主任指导签订委托照护协议书并按期走访，期满终止
    那么 任务"指导签订委托照护协议书"在"village.430104001001"的任务列表中
    而且 任务"guide_agreement"不在"civil_affairs.430104000000"的任务列表中
    当 儿童主任指导父母与"王桂兰"签订委托照护协议书，期限 2026-11-20 至 2027-11-19
    那么 儿童档案中的"委托照护协议书"包含"王桂兰"
    而且 儿童档案中的"委托照护协议书"包含"李强"
    而且 儿童档案中的"委托照护协议书"包含"至 2027-11-19 止"
    而且 定期走访"儿童主任委托照护走访"仍在进行，下次于 2027-02-20 到期
    而且 定期走访"儿童主任委托照护走访"的被委托照护人为"王桂兰"
    而且 案件待办任务为"register_termination"
    当 时间到达 2027-02-05
    那么 "village.430104001001"的任务列表中没有儿童的任务"visit_carer"
    当 时间到达 2027-02-06
    那么 "village.430104001001"的任务列表中有儿童的任务"儿童主任入户走访"，办理期限为 2027-02-20
    当 "village.430104001001" 办理儿童的任务"儿童主任入户走访"：
      | 字段               | 值                       |
      | visited_on         | 2027-02-10               |
      | visit_method       | home_visit               |
      | findings           | 儿童生活规律，祖母照料细致 |
      | parents_in_contact | true                     |
      | carer_status       | adequate                 |
    那么 儿童档案中的"儿童主任入户走访"包含"照料细致"
    而且 定期走访"儿童主任委托照护走访"仍在进行，下次于 2027-05-20 到期
    当 时间到达 2027-05-06
    那么 "village.430104001001"的任务列表中有儿童的任务"visit_carer"，办理期限为 2027-05-20
    当 时间到达 2027-11-20
    那么 流程在结束事件"end_expired"结束
    而且 定期走访"儿童主任委托照护走访"已结束，原因为"委托照护期限届满"
    而且 儿童的任务"visit_carer"已取消

  场景: 父母返回，儿童主任登记委托照护终止
    当 儿童主任指导父母与"王桂兰"签订委托照护协议书，期限 2026-11-20 至 2027-11-19
    而且 时间到达 2027-03-01
    而且 "village.430104001001" 办理任务"登记委托照护终止"：
      | 字段               | 值               |
      | termination_reason | parents_returned |
      | terminated_on      | 2027-03-01       |
    那么 流程在结束事件"end_terminated"结束
    而且 定期走访"儿童主任委托照护走访"已结束，原因为"父母返回"

  场景: 走访发现被委托照护人怠于履职，村委会告知父母，父母重新选择被委托照护人
    当 儿童主任指导父母与"王桂兰"签订委托照护协议书，期限 2026-11-20 至 2027-11-19
    而且 时间到达 2027-02-06
    而且 "village.430104001001" 办理儿童的任务"visit_carer"：
      | 字段               | 值                             |
      | visited_on         | 2027-02-10                     |
      | visit_method       | home_visit                     |
      | findings           | 祖母常外出打牌，儿童多次无人接送 |
      | parents_in_contact | false                          |
      | carer_status       | neglectful                     |
    那么 "village.430104001001"的任务列表中有儿童的任务"告知父母并处置被委托照护人"
    而且 "civil_affairs.430104000000"的任务列表中没有儿童的任务"inform_parents"
    当 "village.430104001001" 尝试办理儿童的任务"inform_parents"：
      | 字段             | 值           |
      | parents_informed | true         |
      | informed_on      | 2027-02-12   |
      | carer_measure    | reselect     |
      | measure_note     | 父母商定改由姑姑照护 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"new_carer"
    当 "village.430104001001" 办理儿童的任务"inform_parents"：
      | 字段                | 值                 |
      | parents_informed    | true               |
      | informed_on         | 2027-02-12         |
      | carer_measure       | reselect           |
      | new_carer.name      | 李秀英             |
      | new_carer.id_number | 430104198507090066 |
      | new_carer.relation  | relative           |
      | new_carer.phone     | 13900000004        |
      | new_carer_eligible  | true               |
      | measure_note        | 父母商定改由姑姑照护 |
    那么 定期走访"儿童主任委托照护走访"的被委托照护人为"李秀英"
    而且 儿童档案中的"重新选择被委托照护人"包含"李秀英"
    而且 儿童的任务"inform_parents"已办结 1 次
    而且 流程仍在进行中

  场景: 走访发现被委托照护人严重失职，报告公安机关训诫并强制报告
    当 儿童主任指导父母与"王桂兰"签订委托照护协议书，期限 2026-11-20 至 2027-11-19
    而且 时间到达 2027-02-08
    而且 "village.430104001001" 办理儿童的任务"visit_carer"：
      | 字段               | 值                     |
      | visited_on         | 2027-02-08             |
      | visit_method       | home_visit             |
      | findings           | 儿童手臂多处淤青         |
      | parents_in_contact | false                  |
      | carer_status       | serious_neglect        |
    那么 "village.430104001001"的任务列表中有儿童的任务"劝诫、制止并报告公安机关"
    当 "village.430104001001" 办理儿童的任务"dissuade_and_report"：
      | 字段            | 值                       |
      | dissuaded       | true                     |
      | neglect_facts   | 祖母酗酒后殴打儿童致伤     |
      | child_in_danger | true                     |
      | reported_on     | 2027-02-08               |
    那么 "police.430104001000"的任务列表中有儿童的任务"训诫并责令接受家庭教育指导"
    当 "police.430104001000" 办理儿童的任务"police_reprimand"：
      | 字段                   | 值                         |
      | reprimanded_on         | 2027-02-08                 |
      | reprimanded_persons    | 王桂兰（被委托照护人）、李强（父亲） |
      | family_education_order | true                       |
      | police_note            | 已当面训诫，责令接受家庭教育指导 |
    那么 "village.430104001001"的任务列表中有儿童的任务"inform_parents"
    而且 已为同一儿童转入"guardianship_revocation"流程
    而且 案件待办任务为"decide_temporary_guardianship"
    而且 儿童档案中的"移交撤销监护人资格程序登记"包含"祖母酗酒后殴打儿童致伤"
    而且 儿童档案中的"训诫并责令接受家庭教育指导"包含"责令接受家庭教育指导"

  场景: 五方委托照护协议不受理留守儿童，指明留守儿童委托照护
    当 "village.430104001001" 尝试在 "430104001001" 为儿童"小军"发起"entrustment_care"流程：
      | 字段          | 值                       |
      | category      | left_behind              |
      | reason        | 父母外出务工，祖母年迈多病 |
      | discovered_by | monthly_contact          |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"散居孤儿和事实无人抚养儿童"
    而且 拒绝理由包含"留守儿童委托照护"
