# language: zh-CN
功能: 困境儿童心理健康转介
  湖南 §五.1–3“预防-筛查-评估-干预-跟踪”；重庆（十）–（十三）；上海（十一）–（十三）；湖北 二.3、二.11、二.16。
  儿童主任每月联系、每季度入户走访，学校每学年监测，发现苗头即识别、评估；
  依风险等级（低、中、高、危机）分级干预，需要时经绿色通道转介就医；治疗后由教师、儿童主任、社工定期随访，稳定后结案。
  心理健康档案仅经办单位和儿童所在县的民政局可查阅，每次查阅记入审计日志。

  背景:
    假如 童护已部署全部流程并载入演示组织
    而且 "village.430104001001" 在 "430104001001" 为儿童"小雨"发起"psych_referral"流程：
      | 字段              | 值                             |
      | monitoring_source | quarterly_visit                |
      | reason            | 季度入户走访：父母离异后孩子沉默寡言 |

  场景: 走访未见异常，记入档案并继续常规监测
    那么 任务"record_contact"在"village.430104001001"的任务列表中
    当 "village.430104001001" 办理任务"记录联系走访情况"：
      | 字段                   | 值                 |
      | contact_date           | 2026-11-02         |
      | sign_study_pressure    | false              |
      | sign_family_change     | false              |
      | sign_economic_hardship | false              |
      | sign_behaviour         | false              |
      | observations           | 精神状态良好，学习正常 |
    那么 流程在结束事件"end_no_signs"结束
    而且 儿童档案中的"记录联系走访情况"包含"精神状态良好"

  场景: 发现苗头后识别无异常，继续常规监测
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    那么 任务"screen_psych"在"township.430104001000"的任务列表中
    而且 任务"screen_psych"须在 7 日内办理
    当 "township.430104001000" 办理任务"心理健康状况识别"：
      | 字段             | 值                   |
      | screening_result | no_concern           |
      | screening_note   | 情绪波动属正常适应反应 |
    那么 流程在结束事件"end_no_concern"结束

  场景: 识别需要评估却未指定评估机构，被拒绝
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 "township.430104001000" 尝试办理任务"心理健康状况识别"：
      | 字段             | 值         |
      | screening_result | concern    |
      | screening_note   | 需要评估   |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"assessor"

  场景: 学校每学年心理健康监测由学校记录
    当 "civil_affairs.430104000000" 在 "430104001001" 为儿童"小林"发起"psych_referral"流程：
      | 字段              | 值                     |
      | monitoring_source | school_yearly_check    |
      | reason            | 2026 学年心理健康监测   |
    那么 任务"school_check"在"education.430104000000"的任务列表中
    而且 任务"school_check"不在"village.430104001001"的任务列表中
    当 "education.430104000000" 办理任务"学校年度心理健康监测"：
      | 字段                   | 值             |
      | contact_date           | 2026-10-15     |
      | sign_study_pressure    | true           |
      | sign_family_change     | false          |
      | sign_economic_hardship | false          |
      | sign_behaviour         | false          |
      | observations           | 毕业班学业压力大 |
    那么 任务"screen_psych"在"township.430104001000"的任务列表中

  场景: 低风险：学校评估的在校儿童由学校关爱，随访稳定后结案
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由学校评估
    那么 任务"assess_at_school"在"education.430104000000"的任务列表中
    当 学校评估为"none/false/mild/false"
    那么 儿童档案中的"心理健康评估分类台账"包含"低风险"
    而且 案件待办任务为"care_at_school"
    当 "education.430104000000" 办理任务"学校心理关爱与疏导"：
      | 字段            | 值                       |
      | carer           | 王老师（心理健康教育教师） |
      | care_started_on | 2026-11-10               |
      | care_measures   | 每周谈心一次，安排同伴结对 |
    那么 流程仍在进行中
    而且 任务"follow_up_teacher"不在"education.430104000000"的任务列表中
    当 时间过去 31 天
    那么 案件待办任务为"follow_up_teacher、follow_up_village、follow_up_social_worker"
    而且 任务"follow_up_social_worker"在"psych_service.430104000000"的任务列表中
    当 教师、儿童主任、社工完成本轮随访
    而且 乡镇儿童督导员评估心理状态稳定
    那么 流程在结束事件"end_stable"结束
    而且 儿童档案中有"流程结束：心理状态稳定，结案（继续常规监测）"

  场景: 低风险：社会心理服务机构评估的儿童由社区心理健康关爱服务站关爱
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由社会心理服务机构评估
    而且 社会心理服务机构评估为"none/false/mild/false"
    那么 任务"care_at_station"在"township.430104001000"的任务列表中

  场景: 中风险：社会心理服务机构咨询疏导
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由社会心理服务机构评估
    那么 任务"assess_by_service"在"psych_service.430104000000"的任务列表中
    当 社会心理服务机构评估为"none/false/moderate/false"
    那么 儿童档案中的"心理健康评估分类台账"包含"中风险"
    而且 任务"counselling"在"psych_service.430104000000"的任务列表中
    当 "psych_service.430104000000" 办理任务"心理咨询与疏导"：
      | 字段                | 值                   |
      | counsellor          | 李社工               |
      | sessions            | 每周一次，共六次       |
      | counselling_summary | 六次个体咨询，情绪改善 |
    而且 时间过去 31 天
    那么 案件待办任务为"follow_up_teacher、follow_up_village、follow_up_social_worker"

  场景: 高风险：告知监护人并经同意后，经绿色通道转介就医
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由学校评估
    而且 学校评估为"ideation/false/moderate/false"
    那么 儿童档案中的"心理健康评估分类台账"包含"高风险"
    而且 任务"guardian_consent"在"village.430104001001"的任务列表中
    当 "village.430104001001" 办理任务"告知监护人并征求转介就医意见"：
      | 字段              | 值                     |
      | informed_on       | 2026-11-07             |
      | guardian_consents | true                   |
      | guardian_opinion  | 母亲同意带孩子到医院就诊 |
    那么 儿童档案中的"心理健康转介单"包含"绿色通道"
    而且 任务"hospital_admission"在"health.430104000000"的任务列表中
    而且 任务"hospital_admission"须在 3 日内办理
    当 "health.430104000000" 办理任务"绿色通道接诊"：
      | 字段           | 值                     |
      | hospital_unit  | 岳麓区精神卫生中心       |
      | admitted_on    | 2026-11-08             |
      | admission_note | 儿童青少年心理门诊接诊   |
    那么 任务"treatment_outcome"在"unit.yl-hospital-mh"的任务列表中
    而且 任务"treatment_outcome"不在"health.430104000000"的任务列表中
    当 医疗机构记录诊疗结果：未确诊精神障碍
    那么 任务"community_rehabilitation"不在"civil_affairs.430104000000"的任务列表中
    当 时间过去 31 天
    那么 案件待办任务为"follow_up_teacher、follow_up_village、follow_up_social_worker"

  场景: 危机：立即转介，同时立即告知监护人，确诊后纳入社区康复
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由学校评估
    而且 学校评估为"plan_or_attempt/false/severe/true"
    那么 儿童档案中的"心理健康评估分类台账"包含"危机"
    而且 儿童档案中的"心理健康转介单"包含"立即送医"
    而且 案件待办任务为"crisis_admission、inform_guardian_crisis"
    而且 任务"crisis_admission"在"health.430104000000"的任务列表中
    而且 任务"crisis_admission"须在 4 小时内办理
    而且 任务"inform_guardian_crisis"在"village.430104001001"的任务列表中
    而且 任务"inform_guardian_crisis"须在 2 小时内办理
    当 "village.430104001001" 办理任务"立即告知监护人"：
      | 字段              | 值                           |
      | guardian_informed | true                         |
      | informed_by       | 张儿童主任                   |
      | informed_note     | 电话告知母亲，母亲已赶往医院 |
    那么 案件待办任务为"crisis_admission"
    当 "health.430104000000" 办理任务"危机接诊（立即）"：
      | 字段           | 值                 |
      | hospital_unit  | 岳麓区精神卫生中心   |
      | admitted_on    | 2026-11-06         |
      | admission_note | 急诊接诊，住院观察   |
    而且 "unit.yl-hospital-mh" 办理任务"记录诊疗结果"：
      | 字段               | 值                    |
      | confirmed_disorder | true                  |
      | treatment_summary  | 确诊抑郁障碍，住院治疗 |
      | returned_on        | 2026-12-20            |
    那么 任务"community_rehabilitation"在"civil_affairs.430104000000"的任务列表中
    当 "civil_affairs.430104000000" 办理任务"纳入精神障碍社区康复服务"：
      | 字段                   | 值                     |
      | rehabilitation_service | 岳麓区精神障碍社区康复站 |
      | enrolled_on            | 2026-12-21             |
      | rehabilitation_plan    | 每周康复训练两次         |
    而且 时间过去 31 天
    那么 案件待办任务为"follow_up_teacher、follow_up_village、follow_up_social_worker"

  场景: 监护人拒绝转介，经乡镇指导后同意就医
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由学校评估
    而且 学校评估为"none/false/severe/false"
    当 "village.430104001001" 办理任务"告知监护人并征求转介就医意见"：
      | 字段              | 值                 |
      | informed_on       | 2026-11-07         |
      | guardian_consents | false              |
      | guardian_opinion  | 父亲认为“孩子没病” |
    那么 任务"guide_guardian"在"township.430104001000"的任务列表中
    当 "township.430104001000" 办理任务"指导劝导监护人"：
      | 字段             | 值                         |
      | guidance_outcome | consents                   |
      | guidance_note    | 讲解就医必要性后父亲同意就医 |
    那么 任务"hospital_admission"在"health.430104000000"的任务列表中

  场景: 监护人拒绝转介但不危及儿童安全，由社会心理服务机构继续疏导
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由学校评估
    而且 学校评估为"none/false/severe/false"
    当 "village.430104001001" 办理任务"告知监护人并征求转介就医意见"：
      | 字段              | 值         |
      | informed_on       | 2026-11-07 |
      | guardian_consents | false      |
      | guardian_opinion  | 拒绝就医   |
    而且 "township.430104001000" 办理任务"指导劝导监护人"：
      | 字段             | 值                       |
      | guidance_outcome | refuses                  |
      | child_endangered | false                    |
      | guidance_note    | 仍拒绝，同意接受心理疏导 |
    那么 任务"counselling"在"psych_service.430104000000"的任务列表中
    而且 任务"hospital_admission"不在"health.430104000000"的任务列表中

  场景: 监护人拒绝转介且危及儿童安全，强制报告并移交撤销监护人资格程序
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由学校评估
    而且 学校评估为"ideation/false/severe/true"
    当 "village.430104001001" 办理任务"告知监护人并征求转介就医意见"：
      | 字段              | 值                         |
      | informed_on       | 2026-11-07                 |
      | guardian_consents | false                      |
      | guardian_opinion  | 父亲拒绝，并将孩子锁在家中 |
    而且 "township.430104001000" 办理任务"指导劝导监护人"：
      | 字段             | 值                                     |
      | guidance_outcome | refuses                                |
      | child_endangered | true                                   |
      | guidance_note    | 多次劝导无效，孩子有轻生念头且被限制就医 |
    那么 流程在结束事件"end_handover_revocation"结束
    而且 已为该儿童发起"guardianship_revocation"流程，并带上评估意见

  场景: 随访尚不稳定，下月继续随访，稳定后结案
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由社会心理服务机构评估
    而且 社会心理服务机构评估为"none/false/mild/true"
    而且 "psych_service.430104000000" 办理任务"心理咨询与疏导"：
      | 字段                | 值             |
      | counsellor          | 李社工         |
      | sessions            | 每周一次，共四次 |
      | counselling_summary | 四次咨询后好转 |
    而且 时间过去 31 天
    而且 教师、儿童主任、社工完成本轮随访
    而且 乡镇儿童督导员评估心理状态尚不稳定
    那么 流程仍在进行中
    而且 任务"follow_up_village"不在"village.430104001001"的任务列表中
    当 时间过去 31 天
    那么 任务"follow_up_village"在"village.430104001001"的任务列表中
    当 教师、儿童主任、社工完成本轮随访
    而且 乡镇儿童督导员评估心理状态稳定
    那么 流程在结束事件"end_stable"结束

  场景: 随访发现状态加重，重新评估后转介就医
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由学校评估
    而且 学校评估为"none/false/mild/false"
    而且 "education.430104000000" 办理任务"学校心理关爱与疏导"：
      | 字段            | 值           |
      | carer           | 王老师       |
      | care_started_on | 2026-11-10   |
      | care_measures   | 每周谈心一次 |
    而且 时间过去 31 天
    而且 教师、儿童主任、社工完成本轮随访
    而且 乡镇儿童督导员评估心理状态加重
    那么 任务"assess_at_school"在"education.430104000000"的任务列表中
    当 学校评估为"ideation/false/moderate/true"
    那么 任务"guardian_consent"在"village.430104001001"的任务列表中

  场景: 心理健康档案仅经办单位和儿童所在县的民政局可查阅，查阅记入审计日志
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由学校评估
    那么 "civil_affairs.430104000000"可以查阅本案件的心理健康档案
    而且 审计日志记有"civil_affairs.430104000000"查阅本案件
    而且 "township.430104001000"可以查阅本案件的心理健康档案
    而且 "education.430104000000"可以查阅本案件的心理健康档案
    而且 "civil_affairs.430100000000"不能查阅本案件的心理健康档案
    而且 "police.430104000000"不能查阅本案件的心理健康档案
    而且 "health.430104000000"不能查阅本案件的心理健康档案
    而且 "civil_affairs.310104000000"不能查阅本案件的心理健康档案
    当 学校评估为"plan_or_attempt/false/severe/true"
    那么 "health.430104000000"可以查阅本案件的心理健康档案
    而且 审计日志记有"health.430104000000"查阅本案件

  @slow
  场景: 随访满两年仍未稳定，县民政局个案研判后结案
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由学校评估
    而且 学校评估为"none/false/mild/false"
    而且 "education.430104000000" 办理任务"学校心理关爱与疏导"：
      | 字段            | 值           |
      | carer           | 王老师       |
      | care_started_on | 2026-11-10   |
      | care_measures   | 每周谈心一次 |
    而且 每月随访 24 轮，督导员每轮均评估为尚不稳定
    那么 案件待办任务为"case_conference"
    而且 任务"随访满两年仍未稳定：个案研判"在"civil_affairs.430104000000"的任务列表中
    当 "civil_affairs.430104000000" 办理任务"case_conference"：
      | 字段            | 值                       |
      | conference_on   | 2029-01-10               |
      | next_step       | routine_monitoring       |
      | conference_note | 转入常规监测，社工继续结对 |
    那么 流程在结束事件"end_case_conference"结束
    而且 儿童档案中的"随访满两年仍未稳定：个案研判"包含"社工继续结对"

  场景: 儿童年满十八周岁，心理健康转介程序结案，移交成年人精神卫生服务
    假如 今天是 2027-06-01
    而且 "village.430104001001" 在 "430104001001" 为儿童"小峰"发起"psych_referral"流程：
      | 字段              | 值                         |
      | child.birth_date  | 2009-06-15                 |
      | monitoring_source | quarterly_visit            |
      | reason            | 季度入户走访：临近成年，情绪低落 |
    那么 任务"record_contact"在"village.430104001001"的任务列表中
    当 时间到达 2027-06-15T08:00:00
    那么 儿童档案中的"儿童年满十八周岁"包含"移交成年人精神卫生服务"
    而且 "village.430104001001"的任务列表中没有本案件的任务
    而且 "health.430104000000"收到本案件的通知"请由成年人精神卫生服务接续跟进"

  场景: 儿童福利机构或救助保护机构开展的心理测评由该机构记录，不交由村儿童主任
    当 "civil_affairs.430104000000" 尝试在 "430104001001" 为儿童"小洁"发起"psych_referral"流程：
      | 字段              | 值               |
      | monitoring_source | institution_test |
      | reason            | 福利院季度心理测评 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"testing_institution"
    当 "civil_affairs.430104000000" 在 "430104001001" 为儿童"小洁"发起"psych_referral"流程：
      | 字段                | 值                  |
      | monitoring_source   | institution_test    |
      | testing_institution | welfare_institution |
      | reason              | 福利院季度心理测评     |
    那么 任务"record_institution_test"在"welfare_institution.430100000000"的任务列表中
    而且 "village.430104001001"的任务列表中没有本案件的任务
    当 "welfare_institution.430100000000" 办理任务"儿童福利机构记录心理测评"：
      | 字段                   | 值            |
      | contact_date           | 2026-11-30    |
      | sign_study_pressure    | false         |
      | sign_family_change     | false         |
      | sign_economic_hardship | false         |
      | sign_behaviour         | false         |
      | observations           | 量表测评结果正常 |
    那么 流程在结束事件"end_no_signs"结束
    而且 儿童档案中的"儿童福利机构记录心理测评"包含"量表测评结果正常"
    当 "civil_affairs.430104000000" 在 "430104001001" 为儿童"小洋"发起"psych_referral"流程：
      | 字段                | 值                |
      | monitoring_source   | institution_test  |
      | testing_institution | protection_center |
      | reason              | 救助保护中心入站心理测评 |
    那么 任务"record_center_test"在"protection_center.430104000000"的任务列表中
    而且 "village.430104001001"的任务列表中没有本案件的任务
    当 "protection_center.430104000000" 办理任务"救助保护机构记录心理测评"：
      | 字段                   | 值               |
      | contact_date           | 2026-11-30       |
      | sign_study_pressure    | false            |
      | sign_family_change     | true             |
      | sign_economic_hardship | false            |
      | sign_behaviour         | true             |
      | observations           | 入站后夜间哭闹，拒绝交流 |
    那么 任务"screen_psych"在"township.430104001000"的任务列表中

  场景: 学校年度心理健康监测：每学年为在校学生开启一项轻量任务，未见异常只记入档案，发现苗头即发起转介
    假如 今天是 2026-09-01
    而且 "430104001001"登记困境儿童"小校"：
      | 字段       | 值          |
      | categories | left_behind |
    而且 "430104001001"登记困境儿童"小安"：
      | 字段       | 值          |
      | categories | left_behind |
    而且 儿童"小校"在"岳麓区望月湖小学"就读
    而且 儿童"小安"在"岳麓区望月湖小学"就读
    当 调度程序运行
    那么 儿童"小校"有待办的学校年度心理健康监测，2026 学年，期限 2026-10-31
    而且 儿童"小校"的"psych_referral"案件共 0 件
    而且 "unit.yl-school-wyh"的学校心理健康监测中有学生"小校"
    而且 "education.430104000000"的学校心理健康监测中有学生"小校"
    而且 "unit.yl-school-thl"的学校心理健康监测中没有学生"小校"
    而且 "village.430104001001"的学校心理健康监测中没有学生"小校"
    当 "unit.yl-school-thl" 尝试登记学生"小安"的学校年度心理健康监测：
      | 字段        | 值         |
      | checked_on  | 2026-09-01 |
      | method      | scale      |
      | result      | normal     |
      | observation | 测评正常   |
    那么 请求被拒绝，状态码为 403
    当 "unit.yl-school-wyh" 尝试登记学生"小安"的学校年度心理健康监测：
      | 字段        | 值         |
      | checked_on  | 2026-09-01 |
      | method      | scale      |
      | result      | concern    |
      | observation | 情绪低落   |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"至少选择一项"
    而且 儿童"小安"有待办的学校年度心理健康监测，2026 学年，期限 2026-10-31
    当 "unit.yl-school-wyh" 登记学生"小安"的学校年度心理健康监测：
      | 字段        | 值               |
      | checked_on  | 2026-09-01       |
      | method      | scale            |
      | result      | normal           |
      | observation | 心理健康测评正常 |
    那么 儿童"小安"没有待办的学校年度心理健康监测
    而且 儿童"小安"的档案中有"学校年度心理健康监测（2026—2027 学年）"
    而且 儿童"小安"的"psych_referral"案件共 0 件
    当 "unit.yl-school-wyh" 登记学生"小校"的学校年度心理健康监测：
      | 字段        | 值               |
      | checked_on  | 2026-09-01       |
      | method      | talk             |
      | result      | concern          |
      | signs       | study_pressure   |
      | observation | 毕业班学业压力大，夜不能寐 |
    那么 儿童"小校"有正在进行的"psych_referral"案件
    而且 任务"screen_psych"在"township.430104001000"的任务列表中
    而且 儿童档案中的"学校年度心理健康监测"包含"夜不能寐"
    当 调度程序运行
    那么 儿童"小校"的学校年度心理健康监测共 1 项
    而且 儿童"小校"的"psych_referral"案件共 1 件
    当 时间到达 2027-09-01
    那么 儿童"小安"有待办的学校年度心理健康监测，2027 学年，期限 2027-10-31
    而且 儿童"小校"的学校年度心理健康监测共 1 项

  场景: 学校年度心理健康监测随学生转学，年满十八周岁即取消，逾期的通知县教育局
    假如 今天是 2026-09-01
    而且 "430104001001"登记困境儿童"小转"：
      | 字段       | 值          |
      | categories | left_behind |
    而且 "430104001001"登记困境儿童"小成"：
      | 字段       | 值          |
      | categories | left_behind |
      | birth_date | 2008-10-01  |
    而且 儿童"小转"在"岳麓区望月湖小学"就读
    而且 儿童"小成"在"岳麓区望月湖小学"就读
    当 调度程序运行
    那么 "unit.yl-school-wyh"的学校心理健康监测中有学生"小转"
    当 儿童"小转"迁居到"430104002001"
    而且 儿童"小转"转学到"岳麓区桃花岭小学"
    那么 "unit.yl-school-thl"的学校心理健康监测中有学生"小转"
    而且 "unit.yl-school-wyh"的学校心理健康监测中没有学生"小转"
    当 时间到达 2026-10-02
    那么 儿童"小成"没有待办的学校年度心理健康监测
    当 时间到达 2026-11-01
    那么 "education.430104000000"收到通知，内容包含"学校年度心理健康监测逾期未办（岳麓区桃花岭小学 1 名）"
    而且 儿童"小转"的档案中有"逾期未办：学校年度心理健康监测（2026—2027 学年）"

  场景: 学校为本校学生发起心理健康转介，不能为其他学校的学生发起
    当 "unit.yl-school-wyh" 在 "430104001001" 为儿童"小思"发起"psych_referral"流程：
      | 字段              | 值                       |
      | monitoring_source | school_yearly_check      |
      | reason            | 心理健康教育课观察：情绪低落，成绩骤降 |
    那么 任务"school_check"在"unit.yl-school-wyh"的任务列表中
    而且 任务"school_check"不在"education.430104000000"的任务列表中
    当 "unit.yl-school-thl" 尝试在 "430104001001" 为儿童"小远"发起"psych_referral"流程：
      | 字段              | 值                       |
      | monitoring_source | school_yearly_check      |
      | reason            | 听说该生情绪低落          |
      | school_unit       | 岳麓区望月湖小学          |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"只能为本单位（本校）的儿童发起"
    当 "health.430104000000" 尝试在 "430104001001" 为儿童"小远"发起"psych_referral"流程：
      | 字段              | 值                       |
      | monitoring_source | monthly_contact          |
      | reason            | 门诊发现                  |
    那么 请求被拒绝，状态码为 403
