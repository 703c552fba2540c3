# language: zh-CN
功能: 基本生活保障
  湖南 §二.1、重庆（一）（二）（五）、湖北 二.8、虎林 三.（一）、上海（一）（二），民发〔2019〕62号：
  监护人、近亲属、村（居）委会或儿童福利机构在居住地或户籍地申请；乡镇（街道）入户调查审核、县级民政部门审批，
  各 15 个工作日内；按认定的类别和地区标准自批准次月起按月发放，每年复核；年满十八周岁停发，仍在学的延续至学业结束；
  情况变化由村（居）委会报告后停发；不予批准的出具书面决定，告知理由和救济途径。

  背景:
    假如 童护已部署全部流程并载入演示组织

  场景: 孤儿经审核、公示、审批，按湖南标准自次月起按月发放
    当 时间到达 2027-03-01T09:00:00
    而且 "village.430104001001" 在 "430104001001" 为儿童"小明"发起"basic_living_support"流程：
      | 字段               | 值 |
      | child.birth_date   | 2015-06-01 |
      | applicant_kind     | village |
      | applicant_name     | 望月湖社区居委会 |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 父母均已死亡，由年迈的外祖母照料 |
    那么 任务"township_review"在"township.430104001000"的任务列表中
    而且 任务"township_review"须在 2027-03-22 前办结
    当 "township.430104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 父母死亡证明齐全，外祖母无固定收入 |
      | guardian_situation     | no_legal_guardian |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 符合孤儿认定条件 |
    那么 任务"county_decision"在"civil_affairs.430104000000"的任务列表中
    而且 任务"county_decision"须在 2027-03-22 前办结
    当 "civil_affairs.430104000000" 办理任务"county_decision"：
      | 字段          | 值 |
      | approved      | true |
      | decision_note | 认定为孤儿 |
    那么 任务"public_notice"在"township.430104001000"的任务列表中
    当 时间到达 2027-03-09T09:00:00
    而且 "township.430104001000" 办理任务"public_notice"：
      | 字段             | 值 |
      | notice_from      | 2027-03-01 |
      | notice_until     | 2027-03-08 |
      | objection_upheld | false |
    那么 儿童"小明"每月领取"孤儿基本生活费" 1350.00 元
    而且 儿童档案中的"基本生活保障审批决定书"包含"湖南省标准"
    而且 儿童档案中的"基本生活保障审批决定书"包含"2027-04"
    而且 任务"report_change"在"village.430104001001"的任务列表中
    而且 儿童"小明"的基本生活保障发放台账为"无"
    当 时间到达 2027-04-01
    那么 儿童"小明"的基本生活保障发放台账为"2027-04"
    当 时间到达 2027-06-10
    那么 儿童"小明"的基本生活保障发放台账为"2027-04、2027-05、2027-06"
    当 时间过去 1 天
    那么 儿童"小明"的基本生活保障发放台账为"2027-04、2027-05、2027-06"

  场景大纲: 按认定的类别批准：事实无人抚养、特困供养、低保（上海不要求公示）
    当 时间到达 2027-03-01T09:00:00
    而且 "village.310104001001" 在 "310104001001" 为儿童"<儿童>"发起"basic_living_support"流程：
      | 字段               | 值 |
      | applicant_kind     | guardian |
      | applicant_name     | 王某 |
      | application_place  | household_registration |
      | applied_on         | 2027-03-01 |
      | reason             | 家庭生活困难 |
    而且 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 已入户核实 |
      | guardian_situation     | <抚养情况> |
      | has_own_income         | false |
      | below_low_income_line  | <低于低保> |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 情况属实 |
    而且 "civil_affairs.310104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    那么 儿童"<儿童>"每月领取"<类别>" <金额> 元
    而且 任务"public_notice"不在"township.310104001000"的任务列表中
    而且 儿童档案中的"基本生活保障审批决定书"包含"上海市标准"
    当 时间到达 2027-04-02
    那么 儿童"<儿童>"的基本生活保障发放台账为"2027-04"

    例子:
      | 儿童 | 抚养情况             | 低于低保 | 类别                         | 金额    |
      | 小芳 | de_facto_unsupported | false    | 事实无人抚养儿童基本生活费   | 2600.00 |
      | 小刚 | unable_to_raise      | true     | 特困人员救助供养             | 2265.00 |
      | 小丽 | able_to_raise        | true     | 最低生活保障（提高救助水平） | 1510.00 |

  场景: 遭遇突发困难的给予临时救助，当月一次性发放
    当 时间到达 2027-03-01T09:00:00
    而且 "village.310104001001" 在 "310104001001" 为儿童"小雨"发起"basic_living_support"流程：
      | 字段               | 值 |
      | applicant_kind     | relative |
      | applicant_name     | 李某（舅舅） |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 家中失火，基本生活无着 |
    而且 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 住房焚毁 |
      | guardian_situation     | able_to_raise |
      | has_own_income         | false |
      | below_low_income_line  | false |
      | sudden_hardship        | true |
      | review_passed          | true |
      | review_opinion         | 情况属实 |
    而且 "civil_affairs.310104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    那么 流程在结束事件"临时救助已发放"结束
    而且 儿童"小雨"每月领取"临时救助" 3000.00 元
    当 时间到达 2027-05-02
    那么 儿童"小雨"的基本生活保障发放台账为"2027-03"

  场景: 不符合保障条件的，县级民政部门出具不予批准决定书并告知救济途径
    当 时间到达 2027-03-01T09:00:00
    而且 "village.310104001001" 在 "310104001001" 为儿童"小亮"发起"basic_living_support"流程：
      | 字段               | 值 |
      | applicant_kind     | guardian |
      | applicant_name     | 赵某 |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 申请补助 |
    而且 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 父母均有稳定工作 |
      | guardian_situation     | able_to_raise |
      | has_own_income         | false |
      | below_low_income_line  | false |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 报县审批 |
    那么 案件待办任务为"confirm_not_eligible"
    当 "civil_affairs.310104000000" 办理任务"confirm_not_eligible"：
      | 字段             | 值 |
      | rejection_reason | 家庭人均收入高于本市最低生活保障标准，父母有抚养能力 |
    那么 流程在结束事件"不予批准，已出具决定书"结束
    而且 儿童档案中的"不予批准基本生活保障决定书"包含"父母有抚养能力"
    而且 儿童档案中的"不予批准基本生活保障决定书"包含"六十日内"
    而且 儿童档案中的"不予批准基本生活保障决定书"包含"六个月内"
    而且 儿童"小亮"没有基本生活保障

  场景: 乡镇审核不通过的书面告知理由；县级民政部门不予批准的出具决定书
    当 时间到达 2027-03-01T09:00:00
    而且 "village.310104001001" 在 "310104001001" 为儿童"小东"发起"basic_living_support"流程：
      | 字段               | 值 |
      | applicant_kind     | guardian |
      | applicant_name     | 钱某 |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 父亲服刑 |
    而且 "township.310104001000" 尝试办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 母亲在本市务工 |
      | guardian_situation     | able_to_raise |
      | has_own_income         | false |
      | below_low_income_line  | false |
      | sudden_hardship        | false |
      | review_passed          | false |
      | review_opinion         | 不符合事实无人抚养条件 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"rejection_reason"
    当 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 母亲在本市务工 |
      | guardian_situation     | able_to_raise |
      | has_own_income         | false |
      | below_low_income_line  | false |
      | sudden_hardship        | false |
      | review_passed          | false |
      | review_opinion         | 不符合事实无人抚养条件 |
      | rejection_reason       | 母亲在本市务工，有抚养能力，不属于事实无人抚养儿童 |
    那么 流程在结束事件"审核未通过，已书面告知"结束
    而且 儿童档案中的"不予批准基本生活保障决定书"包含"乡镇人民政府（街道办事处）审核"
    而且 儿童档案中的"不予批准基本生活保障决定书"包含"不属于事实无人抚养儿童"
    当 "village.310104001001" 在 "310104001001" 为儿童"小东"发起"basic_living_support"流程：
      | 字段               | 值 |
      | applicant_kind     | village |
      | applicant_name     | 复兴西路居委会 |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 母亲失联已逾六个月，重新申请 |
    而且 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 母亲失联 |
      | guardian_situation     | de_facto_unsupported |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 报县审批 |
    而且 "civil_affairs.310104000000" 办理任务"county_decision"：
      | 字段             | 值 |
      | approved         | false |
      | rejection_reason | 失联证明未满六个月，材料不全 |
    那么 流程在结束事件"不予批准，已出具决定书"结束
    而且 儿童档案中的"不予批准基本生活保障决定书"包含"失联证明未满六个月"
    而且 儿童"小东"没有基本生活保障

  场景: 公示期间异议成立的不予批准
    当 时间到达 2027-03-01T09:00:00
    而且 "village.430104001001" 在 "430104001001" 为儿童"小北"发起"basic_living_support"流程：
      | 字段               | 值 |
      | applicant_kind     | guardian |
      | applicant_name     | 孙某 |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 家庭困难 |
    而且 "township.430104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 收入较低 |
      | guardian_situation     | able_to_raise |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 报县审批 |
    而且 "civil_affairs.430104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    而且 时间到达 2027-03-09T09:00:00
    而且 "township.430104001000" 办理任务"public_notice"：
      | 字段             | 值 |
      | notice_from      | 2027-03-01 |
      | notice_until     | 2027-03-08 |
      | objections       | 群众反映家中有经营性车辆 |
      | objection_upheld | true |
      | rejection_reason | 经核实家庭有未申报的经营收入 |
    那么 流程在结束事件"不予批准，已出具决定书"结束
    而且 儿童档案中的"不予批准基本生活保障决定书"包含"未申报的经营收入"
    而且 儿童"小北"没有基本生活保障
