# language: zh-CN
功能: 基本生活保障的地区版本
  地区版本是绑定到省、市区划前缀的已部署版本，差别写在决策表里（processes/variants/<前缀>/），不写在代码里；
  案件按儿童所在地的地区版本发起，没有地区版本的按全国版本。
  上海（一）：年满 18 周岁在学制规定年限内就读全日制本科、高职的，可继续享受基本生活费（全国版本只延续义务教育和
  全日制高中阶段，民发〔2019〕62号）。重庆（五）：孤儿、事实无人抚养儿童城乡居民医保一档参保资助 100%，低保儿童 90%，
  医疗费用不低于 70% 救助；其他地方按当地医疗救助规定。

  背景:
    假如 童护已部署全部流程并载入演示组织

  场景: 上海的孤儿年满十八周岁在读全日制本科，按上海地区版本继续发放至学业结束
    当 时间到达 2027-03-01T09:00:00
    而且 "village.310104001001" 在 "310104001001" 为儿童"小欣"发起"basic_living_support"流程：
      | 字段               | 值 |
      | child.birth_date   | 2009-06-15 |
      | applicant_kind     | relative |
      | applicant_name     | 周某（姑姑） |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 父母双亡 |
    而且 "township.310104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 已入户核实 |
      | guardian_situation     | no_legal_guardian |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 情况属实 |
    而且 "civil_affairs.310104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    那么 本案件按"上海市"的版本办理
    当 时间到达 2027-06-15T08:00:00
    而且 "civil_affairs.310104000000" 办理任务"check_study_at_adulthood"：
      | 字段            | 值 |
      | in_school       | true |
      | study_stage     | undergraduate |
      | school_name     | 复旦大学 |
      | study_end_date  | 2031-07-01 |
      | enrolment_proof | 2027 级新生录取通知书及在学证明 |
    那么 儿童"小欣"的基本生活保障正在发放
    而且 任务"report_change"在"village.310104001001"的任务列表中
    当 时间到达 2027-08-02
    那么 儿童"小欣"的基本生活保障发放台账共 5 个月，从 2027-04 到 2027-08

  场景: 湖南的孤儿同样年满十八周岁在读全日制本科，按全国版本停发
    当 时间到达 2027-03-01T09:00:00
    而且 "village.430104001001" 在 "430104001001" 为儿童"小楠"发起"basic_living_support"流程：
      | 字段               | 值 |
      | child.birth_date   | 2009-06-15 |
      | applicant_kind     | relative |
      | applicant_name     | 周某（姑姑） |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 父母双亡 |
    而且 "township.430104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 已入户核实 |
      | guardian_situation     | no_legal_guardian |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 情况属实 |
    而且 "civil_affairs.430104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    当 时间到达 2027-03-09T09:00:00
    而且 "township.430104001000" 办理任务"public_notice"：
      | 字段             | 值 |
      | notice_from      | 2027-03-01 |
      | notice_until     | 2027-03-08 |
      | objection_upheld | false |
    那么 本案件按"全国"的版本办理
    当 时间到达 2027-06-15T08:00:00
    而且 "civil_affairs.430104000000" 办理任务"check_study_at_adulthood"：
      | 字段            | 值 |
      | in_school       | true |
      | study_stage     | undergraduate |
      | school_name     | 湖南大学 |
      | study_end_date  | 2031-07-01 |
      | enrolment_proof | 2027 级新生录取通知书及在学证明 |
    那么 流程在结束事件"基本生活保障终止"结束
    而且 儿童"小楠"的基本生活保障已终止，原因是"年满十八周岁，就读阶段不在本地延续发放范围"
    而且 儿童档案中的"终止基本生活保障通知书"包含"自 2027-07 起停发"
    当 时间到达 2027-09-02
    那么 儿童"小楠"的基本生活保障发放台账为"2027-04、2027-05、2027-06"

  场景: 湖南的孤儿年满十八周岁仍在读普通高中，全国版本同样延续发放
    当 时间到达 2027-03-01T09:00:00
    而且 "village.430104001001" 在 "430104001001" 为儿童"小岚"发起"basic_living_support"流程：
      | 字段               | 值 |
      | child.birth_date   | 2009-06-15 |
      | applicant_kind     | relative |
      | applicant_name     | 周某（姑姑） |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 父母双亡 |
    而且 "township.430104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 已入户核实 |
      | guardian_situation     | no_legal_guardian |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 情况属实 |
    而且 "civil_affairs.430104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    当 时间到达 2027-03-09T09:00:00
    而且 "township.430104001000" 办理任务"public_notice"：
      | 字段             | 值 |
      | notice_from      | 2027-03-01 |
      | notice_until     | 2027-03-08 |
      | objection_upheld | false |
    当 时间到达 2027-06-15T08:00:00
    而且 "civil_affairs.430104000000" 办理任务"check_study_at_adulthood"：
      | 字段            | 值 |
      | in_school       | true |
      | study_stage     | high_school |
      | school_name     | 长沙市第一中学 |
      | study_end_date  | 2028-07-01 |
      | enrolment_proof | 2027 学年在学证明 |
    那么 儿童"小岚"的基本生活保障正在发放
    而且 任务"report_change"在"village.430104001001"的任务列表中

  场景大纲: 重庆的儿童按重庆地区版本的医疗救助比例，写入审批决定书
    当 时间到达 2027-03-01T09:00:00
    而且 "village.500103001001" 在 "500103001001" 为儿童"<儿童>"发起"basic_living_support"流程：
      | 字段               | 值 |
      | child.birth_date   | 2015-06-01 |
      | applicant_kind     | relative |
      | applicant_name     | 周某（姑姑） |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 家庭生活困难 |
    而且 "township.500103001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 已入户核实 |
      | guardian_situation     | <抚养情况> |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 情况属实 |
    而且 "civil_affairs.500103000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    那么 本案件按"重庆市"的版本办理
    而且 儿童"<儿童>"每月领取"<类别>" <金额> 元
    而且 儿童"<儿童>"的医疗救助参保资助比例为"<参保资助>"
    而且 儿童档案中的"基本生活保障审批决定书"包含"<决定书写明>"
    而且 儿童档案中的"基本生活保障审批决定书"包含"<医疗费用>"

    例子:
      | 儿童 | 抚养情况             | 类别                         | 金额    | 参保资助   | 决定书写明                                | 医疗费用    |
      | 小渝 | no_legal_guardian    | 孤儿基本生活费               | 1000.00 | 100%       | 100%（重庆市城乡居民医保一档参保资助比例） | 不低于 70%  |
      | 小江 | de_facto_unsupported | 事实无人抚养儿童基本生活费   | 1000.00 | 100%       | 100%（重庆市城乡居民医保一档参保资助比例） | 不低于 70%  |
      | 小山 | able_to_raise        | 最低生活保障（提高救助水平） | 700.00  | 90%        | 90%（重庆市城乡居民医保一档参保资助比例）  | 不低于 70%  |
      | 小城 | unable_to_raise      | 特困人员救助供养             | 1100.00 | 按当地规定 | 按当地医疗救助规定                         | 不低于 70%  |

  场景: 湖南的孤儿按全国版本，医疗救助按当地规定
    当 时间到达 2027-03-01T09:00:00
    而且 "village.430104001001" 在 "430104001001" 为儿童"小湘"发起"basic_living_support"流程：
      | 字段               | 值 |
      | child.birth_date   | 2015-06-01 |
      | applicant_kind     | relative |
      | applicant_name     | 周某（姑姑） |
      | application_place  | residence |
      | applied_on         | 2027-03-01 |
      | reason             | 父母双亡 |
    而且 "township.430104001000" 办理任务"township_review"：
      | 字段                   | 值 |
      | home_check_date        | 2027-03-01 |
      | home_check_findings    | 已入户核实 |
      | guardian_situation     | no_legal_guardian |
      | has_own_income         | false |
      | below_low_income_line  | true |
      | sudden_hardship        | false |
      | review_passed          | true |
      | review_opinion         | 情况属实 |
    而且 "civil_affairs.430104000000" 办理任务"county_decision"：
      | 字段     | 值   |
      | approved | true |
    当 时间到达 2027-03-09T09:00:00
    而且 "township.430104001000" 办理任务"public_notice"：
      | 字段             | 值 |
      | notice_from      | 2027-03-01 |
      | notice_until     | 2027-03-08 |
      | objection_upheld | false |
    那么 本案件按"全国"的版本办理
    而且 儿童"小湘"每月领取"孤儿基本生活费" 1350.00 元
    而且 儿童"小湘"的医疗救助参保资助比例为"按当地规定"
    而且 儿童档案中的"基本生活保障审批决定书"包含"按当地医疗救助规定"
