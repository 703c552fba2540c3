# language: zh-CN
功能: 孤儿成年后回归社会安置
  上海（一）（四）、重庆（十八）：市级儿童福利机构集中养育的孤儿年满十八周岁前六个月启动安置程序；
  仍在学的继续享受基本生活费直至学业结束；经综合评估具备回归社会生活能力的，由接收安置的区政府落实住房、户口、就业，
  街道落实长期关爱措施；不具备的转入市属社会福利机构继续集中供养，经职业康复后二次综合评估。

  背景:
    假如 童护已部署全部流程并载入演示组织

  场景: 年满十八周岁前六个月由系统自动启动，且只启动一次
    当 时间到达 2050-01-10
    而且 儿童"小华"（出生日期 2032-09-15）由市儿童福利机构集中养育，住所地为 "310104001001"
    而且 儿童"小军"（出生日期 2032-08-01）由市儿童福利机构集中养育，住所地为 "310104001001"
    而且 儿童"小军"（出生日期 2032-08-01）离开市儿童福利机构，住所地为 "310104001001"
    而且 时间到达 2050-03-14
    那么 儿童"小华"没有回归社会安置案件
    当 时间到达 2050-03-15
    那么 系统已为儿童"小华"启动回归社会安置程序
    而且 任务"record_study_status"在"welfare_institution.310100000000"的任务列表中
    而且 任务"record_study_status"不在"welfare_institution.430100000000"的任务列表中
    而且 儿童档案中的"立案：孤儿成年后回归社会安置"包含"2050-09-15"
    当 时间过去 30 天
    那么 系统已为儿童"小华"启动回归社会安置程序
    而且 儿童"小军"没有回归社会安置案件

  场景: 不在学，综合评估具备回归社会生活能力，年满十八周岁后回归社会安置
    假如 系统于 2050-03-15 为集中养育的儿童"小华"（出生日期 2032-09-15）启动了回归社会安置程序
    当 "welfare_institution.310100000000" 办理任务"登记在学情况"：
      | 字段      | 值    |
      | in_school | false |
      | note      | 已于 2049 年 6 月初中毕业，现参加职业培训 |
    那么 任务"assess_before_adulthood"在"civil_affairs.310100000000"的任务列表中
    而且 任务"assess_before_adulthood"须在 2050-09-15 前办结
    当 "civil_affairs.310100000000" 办理任务"assess_before_adulthood"：
      | 字段                  | 值 |
      | independent_living    | sufficient |
      | work_ability          | sufficient |
      | self_care             | sufficient |
      | physical_mental_state | 身体健康，情绪稳定 |
      | assessment_result     | able |
      | assessment_summary    | 具备独立生活和就业能力 |
      | assessed_on           | 2050-04-01 |
    那么 任务"draft_resettlement_plan"在"welfare_institution.310100000000"的任务列表中
    当 "welfare_institution.310100000000" 办理任务"draft_resettlement_plan"：
      | 字段                        | 值 |
      | housing_plan                | 申请徐汇区公共租赁住房 |
      | new_residence_street        | 310104001000 |
      | household_registration_plan | 户口由福利院集体户迁入新住所 |
      | employment_plan             | 推荐至区就业援助基地 |
      | care_plan                   | 街道落实结对关爱 |
      | planned_move_date           | 2050-09-20 |
    而且 "civil_affairs.310100000000" 办理任务"approve_resettlement_plan"：
      | 字段             | 值 |
      | plan_approved    | false |
      | approval_opinion | 请补充就业岗位的具体安排 |
    那么 案件待办任务为"draft_resettlement_plan"
    当 儿童福利机构拟定安置方案并经市民政局批准
    那么 儿童档案中的"孤儿回归社会安置方案"包含"徐汇区公共租赁住房"
    而且 案件没有待办任务
    而且 案件等待定时器"年满十八周岁"，于 2050-09-15 到期
    当 时间到达 2050-09-15
    那么 任务"accept_resettlement"在"district_government.310104000000"的任务列表中
    当 "district_government.310104000000" 办理任务"accept_resettlement"：
      | 字段         | 值 |
      | accepted_on  | 2050-09-16 |
      | coordinator  | 徐汇区民政局 王科长 |
      | instructions | 住房、户口、就业同步落实 |
    那么 案件待办任务为"arrange_housing、arrange_household_registration、arrange_employment"
    而且 任务"arrange_housing"在"housing.310104000000"的任务列表中
    而且 任务"arrange_household_registration"在"police.310104000000"的任务列表中
    而且 任务"arrange_employment"在"hr_social_security.310104000000"的任务列表中
    而且 任务"arrange_housing"不在"police.310104000000"的任务列表中
    当 "police.310104000000" 办理任务"arrange_household_registration"：
      | 字段               | 值 |
      | registered_address | 徐汇区某路 100 弄 1 号 |
      | registered_on      | 2050-09-20 |
    而且 "hr_social_security.310104000000" 办理任务"arrange_employment"：
      | 字段               | 值 |
      | employment_status  | employed |
      | employer           | 徐汇区某物业公司 |
      | employment_support | 岗前培训并给予就业补贴 |
    那么 案件待办任务为"arrange_housing"
    当 "housing.310104000000" 办理任务"arrange_housing"：
      | 字段         | 值 |
      | housing_type | public_rental |
      | address      | 徐汇区某路 100 弄 1 号 101 室 |
      | move_in_date | 2050-09-20 |
    那么 任务"long_term_care_measures"在"township.310104001000"的任务列表中
    当 "township.310104001000" 办理任务"long_term_care_measures"：
      | 字段               | 值 |
      | care_measures      | 社区结对关爱、节假日走访、心理支持 |
      | contact_person     | 湖南路街道 李社工 |
      | follow_up_interval | P3M |
    而且 时间过去 95 天
    那么 任务"follow_up_visit"在"township.310104001000"的任务列表中
    当 "township.310104001000" 办理任务"follow_up_visit"：
      | 字段               | 值 |
      | visited_on         | 2050-12-20 |
      | situation          | 工作稳定，与邻里相处融洽 |
      | continue_follow_up | true |
    而且 时间过去 95 天
    而且 "township.310104001000" 办理任务"follow_up_visit"：
      | 字段               | 值 |
      | visited_on         | 2051-03-25 |
      | situation          | 生活稳定，已能独立安排生活 |
      | continue_follow_up | false |
    那么 流程在结束事件"end_resettled"结束

  场景: 在学学生年满十八周岁后继续享受基本生活费，毕业后回归社会安置
    假如 系统于 2050-03-15 为集中养育的儿童"小华"（出生日期 2032-09-15）启动了回归社会安置程序
    当 "welfare_institution.310100000000" 办理任务"登记在学情况"：
      | 字段                 | 值 |
      | in_school            | true |
      | study_stage          | secondary_vocational |
      | school_name          | 上海市某中等职业学校 |
      | study_end_date       | 2051-06-30 |
      | enrolment_proof      | 2049 学年在学证明 第 118 号 |
      | enrolment_proof_date | 2049-09-01 |
    那么 任务"confirm_allowance"在"civil_affairs.310100000000"的任务列表中
    当 "civil_affairs.310100000000" 办理任务"confirm_allowance"：
      | 字段            | 值 |
      | allowance_until | 2051-06-30 |
      | allowance_note  | 学制规定年限内就读全日制中职，年满十八周岁后继续发放 |
    那么 案件没有待办任务
    而且 案件等待定时器"在学证明满一年"，于 2050-09-01 到期
    而且 儿童档案中的"确认继续享受基本生活费"包含"2051-06-30"
    当 时间到达 2050-09-01
    那么 任务"verify_enrolment"在"welfare_institution.310100000000"的任务列表中
    当 "welfare_institution.310100000000" 办理任务"verify_enrolment"：
      | 字段                 | 值 |
      | in_school            | true |
      | enrolment_proof      | 2050 学年在学证明 第 87 号 |
      | enrolment_proof_date | 2050-09-01 |
      | study_end_date       | 2051-06-30 |
    那么 案件等待定时器"申报的学业结束日期"，于 2051-06-30 到期
    当 时间到达 2050-09-15
    那么 流程仍在进行中
    而且 案件没有待办任务
    当 时间到达 2051-06-30
    那么 任务"confirm_study_completion"在"welfare_institution.310100000000"的任务列表中
    当 "welfare_institution.310100000000" 办理任务"confirm_study_completion"：
      | 字段         | 值 |
      | in_school    | false |
      | graduated_on | 2051-06-30 |
    那么 任务"assess_after_study"须在 2051-07-30 前办结
    当 市民政局在"assess_after_study"中评估为具备回归社会生活能力
    而且 儿童福利机构拟定安置方案并经市民政局批准
    那么 任务"accept_resettlement"在"district_government.310104000000"的任务列表中
    当 区政府接收安置，住房、户口、就业均已落实
    而且 街道落实长期关爱措施，每季度回访一次
    而且 时间过去 95 天
    而且 "township.310104001000" 办理任务"follow_up_visit"：
      | 字段               | 值 |
      | visited_on         | 2051-10-10 |
      | situation          | 已就业，生活稳定 |
      | continue_follow_up | false |
    那么 流程在结束事件"end_resettled"结束

  场景: 学业结束后继续升学，重新确认基本生活费
    假如 系统于 2050-03-15 为集中养育的儿童"小华"（出生日期 2032-09-15）启动了回归社会安置程序
    当 "welfare_institution.310100000000" 办理任务"登记在学情况"：
      | 字段                 | 值 |
      | in_school            | true |
      | study_stage          | high_school |
      | school_name          | 上海市某高级中学 |
      | study_end_date       | 2050-06-30 |
      | enrolment_proof      | 2049 学年在学证明 第 5 号 |
      | enrolment_proof_date | 2049-09-01 |
    而且 "civil_affairs.310100000000" 办理任务"confirm_allowance"：
      | 字段            | 值 |
      | allowance_until | 2050-06-30 |
    而且 时间到达 2050-06-30
    而且 "welfare_institution.310100000000" 办理任务"confirm_study_completion"：
      | 字段                 | 值 |
      | in_school            | true |
      | graduated_on         | 2050-06-30 |
      | study_stage          | undergraduate |
      | school_name          | 上海某大学 |
      | study_end_date       | 2054-06-30 |
      | enrolment_proof      | 2050 级录取通知书 |
      | enrolment_proof_date | 2050-07-15 |
    那么 任务"confirm_allowance"在"civil_affairs.310100000000"的任务列表中
    当 "civil_affairs.310100000000" 办理任务"confirm_allowance"：
      | 字段            | 值 |
      | allowance_until | 2054-06-30 |
    那么 案件等待定时器"在学证明满一年"，于 2051-07-15 到期

  场景: 提前终止学业，一个月内综合评估
    假如 系统于 2050-03-15 为集中养育的儿童"小华"（出生日期 2032-09-15）启动了回归社会安置程序
    当 "welfare_institution.310100000000" 办理任务"登记在学情况"：
      | 字段                 | 值 |
      | in_school            | true |
      | study_stage          | high_school |
      | school_name          | 上海市某高级中学 |
      | study_end_date       | 2051-06-30 |
      | enrolment_proof      | 2049 学年在学证明 第 9 号 |
      | enrolment_proof_date | 2049-09-01 |
    而且 "civil_affairs.310100000000" 办理任务"confirm_allowance"：
      | 字段            | 值 |
      | allowance_until | 2051-06-30 |
    而且 时间到达 2050-09-10
    而且 "welfare_institution.310100000000" 办理任务"verify_enrolment"：
      | 字段           | 值 |
      | in_school      | false |
      | study_ended_on | 2050-08-20 |
      | note           | 本人申请退学，已参加工作 |
    那么 任务"assess_after_study"在"civil_affairs.310100000000"的任务列表中
    # 一个月自学业终止之日（2050-08-20）起算，不自年度核验发现之日起算
    而且 任务"assess_after_study"须在 2050-09-20 前办结

  场景: 不具备回归社会生活能力，职业康复后二次综合评估具备，回归社会安置
    假如 系统于 2050-03-15 为集中养育的儿童"小华"（出生日期 2032-09-15）启动了回归社会安置程序
    当 "welfare_institution.310100000000" 办理任务"登记在学情况"：
      | 字段      | 值    |
      | in_school | false |
    而且 市民政局在"assess_before_adulthood"中评估为不具备回归社会生活能力
    那么 任务"admit_for_continued_support"在"social_welfare_institution.310100000000"的任务列表中
    而且 任务"admit_for_continued_support"不在"welfare_institution.310100000000"的任务列表中
    当 时间到达 2050-09-20
    而且 "social_welfare_institution.310100000000" 办理任务"admit_for_continued_support"：
      | 字段             | 值 |
      | institution_name | 上海市第一社会福利院 |
      | admitted_on      | 2050-09-20 |
      | support_plan     | 集中供养，参加庇护性就业训练 |
    而且 "social_welfare_institution.310100000000" 办理任务"vocational_rehabilitation"：
      | 字段                   | 值 |
      | rehabilitation_program | 庇护工场手工技能训练六个月 |
      | completed_on           | 2051-03-20 |
      | outcome                | 能独立完成简单装配工作 |
    而且 时间到达 2051-03-20
    那么 任务"second_assessment"在"civil_affairs.310100000000"的任务列表中
    当 市民政局在"second_assessment"中评估为具备回归社会生活能力
    那么 任务"draft_resettlement_plan"在"welfare_institution.310100000000"的任务列表中
    当 儿童福利机构拟定安置方案并经市民政局批准
    那么 任务"accept_resettlement"在"district_government.310104000000"的任务列表中
    而且 儿童档案中的"二次综合评估"包含"具备独立生活和就业能力"

  场景: 二次综合评估仍不具备，继续集中供养并到期复评
    假如 系统于 2050-03-15 为集中养育的儿童"小华"（出生日期 2032-09-15）启动了回归社会安置程序
    当 "welfare_institution.310100000000" 办理任务"登记在学情况"：
      | 字段      | 值    |
      | in_school | false |
    而且 市民政局在"assess_before_adulthood"中评估为不具备回归社会生活能力
    而且 时间到达 2050-09-20
    而且 "social_welfare_institution.310100000000" 办理任务"admit_for_continued_support"：
      | 字段             | 值 |
      | institution_name | 上海市第一社会福利院 |
      | admitted_on      | 2050-09-20 |
      | support_plan     | 集中供养 |
    而且 "social_welfare_institution.310100000000" 办理任务"vocational_rehabilitation"：
      | 字段                   | 值 |
      | rehabilitation_program | 生活技能训练 |
      | completed_on           | 2051-03-20 |
      | outcome                | 进步有限 |
    而且 市民政局在"second_assessment"中评估为不具备回归社会生活能力
    那么 任务"continued_support"在"social_welfare_institution.310100000000"的任务列表中
    当 "social_welfare_institution.310100000000" 尝试办理任务"continued_support"：
      | 字段             | 值 |
      | support_measures | 继续集中供养和职业康复 |
      | next_step        | reassess |
    那么 请求被拒绝，状态码为 422
    当 "social_welfare_institution.310100000000" 办理任务"continued_support"：
      | 字段              | 值 |
      | support_measures  | 继续集中供养和职业康复 |
      | next_step         | reassess |
      | reassessment_date | 2052-03-20 |
    那么 案件等待定时器"复评日期到"，于 2052-03-20 到期
    当 时间到达 2052-03-20
    那么 任务"vocational_rehabilitation"在"social_welfare_institution.310100000000"的任务列表中
    当 "social_welfare_institution.310100000000" 办理任务"vocational_rehabilitation"：
      | 字段                   | 值 |
      | rehabilitation_program | 生活技能训练 |
      | completed_on           | 2052-03-25 |
      | outcome                | 仍需全面照料 |
    而且 市民政局在"second_assessment"中评估为不具备回归社会生活能力
    而且 "social_welfare_institution.310100000000" 办理任务"continued_support"：
      | 字段             | 值 |
      | support_measures | 重度残疾，转为长期集中供养 |
      | next_step        | long_term_support |
    那么 流程在结束事件"end_long_term_support"结束

  场景: 评估期限自十八周岁生日起算，新住所地街道在方案中选定，由该街道落实长期关爱
    当 时间到达 2050-03-14
    而且 儿童"小湘"（出生日期 2032-09-15）由市儿童福利机构集中养育，住所地为 "430104001001"
    而且 时间到达 2050-03-15
    那么 系统已为儿童"小湘"启动回归社会安置程序
    而且 任务"record_study_status"在"welfare_institution.430100000000"的任务列表中
    # 在学情况迟了二十天才登记：成年前的综合评估仍须在十八周岁生日前办结
    当 时间过去 20 天
    而且 "welfare_institution.430100000000" 办理任务"登记在学情况"：
      | 字段      | 值    |
      | in_school | false |
      | note      | 初中毕业后参加职业培训 |
    那么 任务"assess_before_adulthood"须在 2050-09-15 前办结
    当 "civil_affairs.430100000000" 办理任务"assess_before_adulthood"：
      | 字段                  | 值 |
      | independent_living    | sufficient |
      | work_ability          | sufficient |
      | self_care             | sufficient |
      | physical_mental_state | 身体健康，情绪稳定 |
      | assessment_result     | able |
      | assessment_summary    | 具备独立生活和就业能力 |
      | assessed_on           | 2050-04-10 |
    而且 "welfare_institution.430100000000" 尝试办理任务"draft_resettlement_plan"：
      | 字段                        | 值 |
      | housing_plan                | 申请岳麓区公共租赁住房 |
      | new_residence_street        | 310104001000 |
      | household_registration_plan | 户口由福利院集体户迁入新住所 |
      | employment_plan             | 推荐至区就业援助基地 |
      | care_plan                   | 街道落实结对关爱 |
      | planned_move_date           | 2050-09-20 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"new_residence_street"
    当 "welfare_institution.430100000000" 办理任务"draft_resettlement_plan"：
      | 字段                        | 值 |
      | housing_plan                | 申请岳麓区公共租赁住房 |
      | new_residence_street        | 430104002000 |
      | household_registration_plan | 户口由福利院集体户迁入新住所 |
      | employment_plan             | 推荐至区就业援助基地 |
      | care_plan                   | 街道落实结对关爱 |
      | planned_move_date           | 2050-09-20 |
    而且 "civil_affairs.430100000000" 办理任务"approve_resettlement_plan"：
      | 字段             | 值 |
      | plan_approved    | true |
      | approval_opinion | 同意 |
      | housing_opinion  | 区住房保障部门同意安排公共租赁住房 |
      | household_registration_opinion | 公安机关同意迁入新住所 |
      | employment_opinion | 人社部门同意推荐就业援助基地 |
    那么 儿童档案中的"孤儿回归社会安置方案"包含"住房保障部门意见：区住房保障部门同意安排公共租赁住房"
    而且 儿童档案中的"孤儿回归社会安置方案"包含"人力资源社会保障部门意见：人社部门同意推荐就业援助基地"
    当 时间到达 2050-09-15
    而且 "district_government.430104000000" 办理任务"accept_resettlement"：
      | 字段         | 值 |
      | accepted_on  | 2050-09-15 |
      | coordinator  | 岳麓区民政局 王科长 |
      | instructions | 住房、户口、就业同步落实 |
    而且 "housing.430104000000" 办理任务"arrange_housing"：
      | 字段          | 值 |
      | housing_type  | public_rental |
      | address       | 岳麓街道某路 1 号 |
      | move_in_date  | 2050-09-20 |
    而且 "police.430104000000" 办理任务"arrange_household_registration"：
      | 字段               | 值 |
      | registered_address | 岳麓街道某路 1 号 |
      | registered_on      | 2050-09-20 |
    而且 "hr_social_security.430104000000" 办理任务"arrange_employment"：
      | 字段               | 值 |
      | employment_status  | employed |
      | employer           | 岳麓区某物业公司 |
      | employment_support | 岗前培训 |
    那么 任务"long_term_care_measures"在"township.430104002000"的任务列表中
    而且 任务"long_term_care_measures"不在"township.430104001000"的任务列表中

  场景: 人民法院指定市民政部门担任监护人的未成年人，由市民政局手工发起
    当 时间到达 2050-01-10
    而且 "civil_affairs.310100000000" 在 "310104001001" 为儿童"小丽"发起"orphan_resettlement"流程：
      | 字段             | 值 |
      | child.birth_date | 2032-07-01 |
      | basis            | court_designated_civil_affairs |
      | court_ruling     | （2049）沪0104民特12号 |
      | reason           | 法院指定市民政局担任监护人，年满十八周岁前启动安置 |
    那么 任务"record_study_status"在"welfare_institution.310100000000"的任务列表中
    当 儿童"小丽"（出生日期 2032-07-01）由市儿童福利机构集中养育，住所地为 "310104001001"
    而且 时间到达 2050-01-11
    那么 儿童"小丽"有且只有一个回归社会安置案件

  场景: 区级部门不能发起安置程序，外地的福利机构看不到本案件
    当 时间到达 2050-01-10
    而且 "housing.310104000000" 尝试在 "310104001001" 为儿童"小强"发起"orphan_resettlement"流程：
      | 字段             | 值 |
      | child.birth_date | 2032-07-01 |
      | basis            | institution_orphan |
      | reason           | 试图发起 |
    那么 请求被拒绝，状态码为 403
    当 "welfare_institution.310100000000" 在 "310104001001" 为儿童"小强"发起"orphan_resettlement"流程：
      | 字段             | 值 |
      | child.birth_date | 2032-07-01 |
      | basis            | institution_orphan |
      | reason           | 年满十八周岁前启动安置 |
    那么 任务"record_study_status"在"welfare_institution.310100000000"的任务列表中
    而且 "welfare_institution.430100000000"的任务列表中没有本案件的任务
    而且 "social_welfare_institution.430100000000"的任务列表中没有本案件的任务
