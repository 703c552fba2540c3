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

  场景: 年满十八周岁不在学的，自次月起停发
    当 时间到达 2027-03-01T09:00:00
    而且 "village.310104001001" 在 "310104001001" 为儿童"小强"发起"basic_living_support"流程：
      | 字段               | 值 |
      | child.birth_date   | 2009-06-15 |
      | child.gender       | male |
      | applicant_kind     | relative |
      | applicant_name     | 周某（姑姑） |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 父母双亡 |
    而且 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 父母死亡证明齐全 |
      | guardian_situation     | no_legal_guardian |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 符合孤儿认定条件 |
    而且 "civil_affairs.310104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    那么 案件等待定时器"年满十八周岁或学业结束"，于 2027-06-15 到期
    当 时间到达 2027-06-15T08:00:00
    那么 任务"check_study_at_adulthood"在"civil_affairs.310104000000"的任务列表中
    而且 任务"report_change"不在"village.310104001001"的任务列表中
    当 "civil_affairs.310104000000" 办理任务"check_study_at_adulthood"：
      | 字段      | 值    |
      | in_school | false |
    那么 流程在结束事件"基本生活保障终止"结束
    而且 儿童"小强"的基本生活保障已终止，原因是"年满十八周岁且不在学"
    而且 儿童档案中的"终止基本生活保障通知书"包含"自 2027-07 起停发"
    当 时间到达 2027-09-02
    那么 儿童"小强"的基本生活保障发放台账为"2027-04、2027-05、2027-06"

  场景: 年满十八周岁仍在学的延续至学业结束，经年度复核，学业结束后由回归社会安置程序接续
    当 时间到达 2027-03-01T09:00:00
    而且 儿童"小华"（出生日期 2009-06-15）由市儿童福利机构集中养育，住所地为 "310104001001"
    而且 "welfare_institution.310100000000" 在 "310104001001" 为儿童"小华"发起"basic_living_support"流程：
      | 字段               | 值 |
      | child.birth_date   | 2009-06-15 |
      | applicant_kind     | welfare_institution |
      | applicant_name     | 上海市儿童福利院 |
      | application_place  | household_registration |
      | applied_on         | 2027-03-01 |
      | reason             | 孤儿，申请基本生活费 |
    而且 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 父母双亡，由市儿童福利院集中养育 |
      | guardian_situation     | no_legal_guardian |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 符合孤儿认定条件 |
    而且 "civil_affairs.310104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    而且 时间到达 2027-06-15T08:00:00
    而且 "civil_affairs.310104000000" 办理任务"check_study_at_adulthood"：
      | 字段            | 值 |
      | in_school       | true |
      | study_stage     | high_school |
      | school_name     | 上海市南洋模范中学 |
      | study_end_date  | 2028-07-01 |
      | enrolment_proof | 2027 学年在学证明 |
    那么 儿童"小华"的基本生活保障正在发放
    而且 任务"report_change"在"village.310104001001"的任务列表中
    当 时间到达 2027-08-02
    那么 儿童"小华"的基本生活保障发放台账共 5 个月，从 2027-04 到 2027-08
    当 时间到达 2028-03-01T08:00:00
    那么 任务"yearly_review"在"township.310104001000"的任务列表中
    当 "township.310104001000" 办理任务"yearly_review"：
      | 字段                | 值 |
      | home_check_date     | 2028-03-01 |
      | home_check_findings | 在校就读，生活正常 |
      | still_eligible      | true |
    那么 儿童"小华"的基本生活保障正在发放
    而且 案件等待定时器"年度复核日期到"，于 2029-03-01 到期
    当 时间到达 2028-07-01T08:00:00
    那么 儿童"小华"的基本生活保障已终止，原因是"年满十八周岁后学业结束"
    而且 儿童"小华"有且只有一个回归社会安置案件
    而且 任务"record_study_status"在"welfare_institution.310100000000"的任务列表中
    当 时间到达 2028-09-02
    那么 儿童"小华"的基本生活保障发放台账共 16 个月，从 2027-04 到 2028-07

  场景: 年度复核不再符合条件的停发
    当 时间到达 2027-03-01T09:00:00
    而且 "village.310104001001" 在 "310104001001" 为儿童"小红"发起"basic_living_support"流程：
      | 字段               | 值 |
      | applicant_kind     | guardian |
      | applicant_name     | 吴某 |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 家庭收入低 |
    而且 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 收入低于低保标准 |
      | guardian_situation     | able_to_raise |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 报县审批 |
    而且 "civil_affairs.310104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    而且 时间到达 2028-03-01T08:00:00
    而且 "township.310104001000" 办理任务"yearly_review"：
      | 字段                | 值 |
      | home_check_date     | 2028-03-01 |
      | home_check_findings | 父亲已稳定就业 |
      | still_eligible      | false |
      | rejection_reason    | 家庭人均收入已高于本市最低生活保障标准 |
    那么 流程在结束事件"基本生活保障终止"结束
    而且 儿童"小红"的基本生活保障已终止，原因是"年度复核不再符合条件"
    而且 儿童档案中的"终止基本生活保障通知书"包含"自 2028-04 起停发"
    当 时间到达 2028-05-02
    那么 儿童"小红"的基本生活保障发放台账共 12 个月，从 2027-04 到 2028-03

  场景: 村（居）委会报告情况变化，经县级民政部门核实后停发；不属实的继续发放
    当 时间到达 2027-03-01T09:00:00
    而且 "village.310104001001" 在 "310104001001" 为儿童"小军"发起"basic_living_support"流程：
      | 字段               | 值 |
      | applicant_kind     | village |
      | applicant_name     | 复兴西路居委会 |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 父亲服刑，母亲失联 |
    而且 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 父亲服刑在押，母亲失联一年 |
      | guardian_situation     | de_facto_unsupported |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 符合事实无人抚养儿童认定条件 |
    而且 "civil_affairs.310104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    而且 时间到达 2027-05-10T09:00:00
    而且 "village.310104001001" 办理任务"report_change"：
      | 字段               | 值 |
      | change_kind        | guardian_returned |
      | change_date        | 2027-05-08 |
      | change_description | 群众反映母亲已回家 |
    而且 "civil_affairs.310104000000" 办理任务"confirm_change"：
      | 字段              | 值 |
      | change_confirmed  | false |
      | confirmation_note | 经核实母亲仅短暂探望，仍失联 |
    那么 儿童"小军"的基本生活保障正在发放
    而且 任务"report_change"在"village.310104001001"的任务列表中
    当 时间到达 2027-08-12T09:00:00
    而且 "village.310104001001" 办理任务"report_change"：
      | 字段               | 值 |
      | change_kind        | guardian_returned |
      | change_date        | 2027-08-10 |
      | change_description | 父亲刑满释放回家，有劳动能力 |
    而且 "civil_affairs.310104000000" 办理任务"confirm_change"：
      | 字段              | 值 |
      | change_confirmed  | true |
      | confirmation_note | 经核实父亲已返回并就业 |
    那么 流程在结束事件"基本生活保障终止"结束
    而且 儿童"小军"的基本生活保障已终止，原因是"监护人恢复抚养能力或返回"
    而且 儿童档案中的"终止基本生活保障通知书"包含"自 2027-09 起停发"
    当 时间到达 2027-11-02
    那么 儿童"小军"的基本生活保障发放台账为"2027-04、2027-05、2027-06、2027-07、2027-08"
