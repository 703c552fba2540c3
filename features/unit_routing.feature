# language: zh-CN
功能: 按案件中选定的单位分派任务，主管跨单位改派，儿童迁居后任务随之转移
  湖南 §三.2：委托照护机构为儿童福利机构或未成年人救助保护机构。县级民政局选定的机构本身
  签署协议并接收儿童；其他机构和县级委托照护机构看不到这些任务。
  重庆（十二）、上海（十三）：危机转介由接诊的医疗机构办理；上海（十二）：学校每学年监测由儿童就读的学校办理。
  民政局牵头：收到逾期提醒的民政局主管可打开任务并在同一部门、辖区内改派。儿童迁居后，
  按所在地分派的待办任务转至新居住地的承办单位，原承办单位仍可查阅自己办理的内容。

  背景:
    假如 童护已部署全部流程并载入演示组织

  场景: 选定的救助保护中心签署协议并接收儿童，其他机构看不到任务
    假如 "village.430104001001" 在 "430104001001" 为儿童"小兰"发起"entrustment_care"流程：
      | 字段          | 值                           |
      | category      | de_facto_unsupported         |
      | reason        | 父母外出务工，祖母年迈多病无力照料 |
      | discovered_by | monthly_contact              |
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 监护人同意委托且民政局选定照护机构"岳麓区未成年人救助保护中心"并拟定协议
    那么 任务"sign_institution"在"unit.yl-protection"的任务列表中
    而且 任务"sign_institution"不在"unit.cs-welfare"的任务列表中
    而且 任务"sign_institution"不在"care_institution.430104000000"的任务列表中
    而且 任务"sign_institution"不在"protection_center.430104000000"的任务列表中
    而且 任务"sign_institution"的办理说明包含"由案件中选定的委托照护机构办理：岳麓区未成年人救助保护中心"
    而且 任务"sign_institution"的办理说明包含"care_institution_unit"
    当 "unit.cs-welfare" 尝试办理任务"sign_institution"：
      | 字段      | 值 |
      | signed    | true |
      | signatory | 长沙市儿童福利院 |
      | signed_on | 2026-11-20 |
    那么 请求被拒绝，状态码为 403
    当 "protection_center.430104000000" 尝试办理任务"sign_institution"：
      | 字段      | 值 |
      | signed    | true |
      | signatory | 岳麓区未成年人救助保护机构 |
      | signed_on | 2026-11-20 |
    那么 请求被拒绝，状态码为 403
    当 除照护机构外的四方签署协议
    那么 案件待办任务为"sign_institution"
    当 "unit.yl-protection" 办理任务"sign_institution"：
      | 字段      | 值 |
      | signed    | true |
      | signatory | 岳麓区未成年人救助保护中心 周主任 |
      | signed_on | 2026-11-20 |
    那么 任务"admit_child"在"unit.yl-protection"的任务列表中
    而且 任务"admit_child"不在"care_institution.430104000000"的任务列表中
    当 "unit.yl-protection" 办理任务"admit_child"：
      | 字段        | 值 |
      | admitted_on | 2026-12-01 |
      | care_plan   | 日常照料、学业辅导 |
    那么 流程仍在进行中

  场景: 不能选定其他部门的单位作为照护机构
    假如 "village.430104001001" 在 "430104001001" 为儿童"小兰"发起"entrustment_care"流程：
      | 字段          | 值                           |
      | category      | de_facto_unsupported         |
      | reason        | 父母外出务工，祖母年迈多病无力照料 |
      | discovered_by | monthly_contact              |
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 "village.430104001001" 办理任务"record_guardian_consent"：
      | 字段               | 值                              |
      | guardian_consents  | true                            |
      | guardian_id_number | 430104195803150023              |
      | guardian_address   | 湖南省长沙市岳麓区望月湖街道12栋 |
      | consent_note       | 同意委托                         |
    而且 "civil_affairs.430104000000" 尝试选定照护机构"岳麓区望月湖小学"
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"请从给定选项中选择"

  场景: 危机转介进入评估时选定的医院的任务列表
    假如 "village.430104001001" 在 "430104001001" 为儿童"小雨"发起"psych_referral"流程：
      | 字段              | 值                             |
      | monitoring_source | quarterly_visit                |
      | reason            | 季度入户走访：父母离异后孩子沉默寡言 |
    当 儿童主任记录走访发现家庭变故和情绪行为异常
    而且 乡镇儿童督导员识别为需要由社会心理服务机构评估
    而且 社会心理服务机构评估为危机并拟转介"岳麓区精神卫生中心"
    那么 案件待办任务为"crisis_admission、inform_guardian_crisis"
    而且 任务"crisis_admission"在"unit.yl-hospital-mh"的任务列表中
    而且 任务"crisis_admission"须在 4 小时内办理
    而且 任务"crisis_admission"不在"unit.yl-hospital"的任务列表中
    而且 任务"crisis_admission"不在"health.430104000000"的任务列表中
    而且 任务"crisis_admission"的办理说明包含"岳麓区精神卫生中心"
    当 "health.430104000000" 尝试办理任务"crisis_admission"：
      | 字段           | 值 |
      | hospital_unit  | 岳麓区精神卫生中心 |
      | admitted_on    | 2026-11-06 |
      | admission_note | 急诊收治 |
    那么 请求被拒绝，状态码为 403
    当 "unit.yl-hospital-mh" 尝试办理任务"crisis_admission"：
      | 字段           | 值             |
      | hospital_unit  | 岳麓区人民医院   |
      | admitted_on    | 2026-11-06     |
      | admission_note | 急诊收治        |
    那么 请求被拒绝，状态码为 422
    当 "unit.yl-hospital-mh" 办理任务"crisis_admission"：
      | 字段           | 值               |
      | hospital_unit  | 岳麓区精神卫生中心 |
      | admitted_on    | 2026-11-06       |
      | admission_note | 急诊收治          |
    那么 儿童档案中的"危机接诊（立即）"包含"岳麓区精神卫生中心"

  场景: 学校年度监测在儿童就读学校的任务列表中，变更学校后转至新学校
    假如 "civil_affairs.430104000000" 在 "430104001001" 为儿童"小林"发起"psych_referral"流程：
      | 字段              | 值                   |
      | monitoring_source | school_yearly_check  |
      | reason            | 2026 学年心理健康监测 |
    那么 任务"school_check"在"education.430104000000"的任务列表中
    当 "civil_affairs.430104000000" 将儿童的就读学校登记为"岳麓区望月湖小学"
    那么 任务"school_check"在"unit.yl-school-wyh"的任务列表中
    而且 任务"school_check"不在"education.430104000000"的任务列表中
    而且 任务"school_check"不在"unit.yl-school-thl"的任务列表中
    而且 任务"school_check"的办理说明包含"儿童就读的学校"
    而且 儿童档案中有"就读学校变更：未登记 → 岳麓区望月湖小学"
    当 "civil_affairs.430104000000" 在 "430104001001" 为儿童"小林"发起"psych_referral"流程：
      | 字段              | 值                   |
      | monitoring_source | school_yearly_check  |
      | reason            | 2027 学年心理健康监测 |
    那么 任务"school_check"在"unit.yl-school-wyh"的任务列表中
    而且 任务"school_check"不在"education.430104000000"的任务列表中

  场景: 民政局主管打开逾期提醒中的任务，并改派给同一街道另一社区的儿童主任
    假如 "village.430104001001" 在 "430104001001" 为儿童"小兰"发起"entrustment_care"流程：
      | 字段          | 值                           |
      | category      | de_facto_unsupported         |
      | reason        | 父母外出务工，祖母年迈多病无力照料 |
      | discovered_by | monthly_contact              |
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 时间过去 8 天
    那么 "supervisor.civil_affairs.430104000000"收到任务"record_guardian_consent"的逾期提醒
    而且 "supervisor.civil_affairs.430104000000"可以打开任务"record_guardian_consent"
    当 "supervisor.civil_affairs.430104000000" 尝试办理任务"record_guardian_consent"：
      | 字段               | 值                              |
      | guardian_consents  | true                            |
      | guardian_id_number | 430104195803150023              |
      | guardian_address   | 湖南省长沙市岳麓区望月湖街道12栋 |
      | consent_note       | 同意委托                         |
    那么 请求被拒绝，状态码为 403
    当 "supervisor.civil_affairs.430104000000" 将任务"record_guardian_consent"改派给"village.430104001002"
    那么 任务"record_guardian_consent"在"village.430104001002"的任务列表中
    而且 任务"record_guardian_consent"不在"village.430104001001"的任务列表中
    而且 审计日志记有"supervisor.civil_affairs.430104000000"改派任务"record_guardian_consent"
    当 "supervisor.civil_affairs.430104000000" 将任务"record_guardian_consent"改派给"village.310104001001"
    那么 请求被拒绝，状态码为 422
    当 "village.430104001002" 办理任务"record_guardian_consent"：
      | 字段               | 值                              |
      | guardian_consents  | true                            |
      | guardian_id_number | 430104195803150023              |
      | guardian_address   | 湖南省长沙市岳麓区望月湖街道12栋 |
      | consent_note       | 同意委托                         |
    那么 案件待办任务为"choose_institution"

  场景: 儿童迁居后，按所在地分派的待办任务转至新居住地，原承办单位仍可查阅
    假如 "village.430104001001" 在 "430104001001" 为儿童"小兰"发起"entrustment_care"流程：
      | 字段          | 值                           |
      | category      | de_facto_unsupported         |
      | reason        | 父母外出务工，祖母年迈多病无力照料 |
      | discovered_by | monthly_contact              |
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    那么 任务"record_guardian_consent"在"village.430104001001"的任务列表中
    当 "village.430104001001" 登记儿童迁居至 "430104002001"
    那么 请求被拒绝，状态码为 403
    当 "civil_affairs.310104000000" 登记儿童迁居至 "310104001001"
    那么 请求被拒绝，状态码为 403
    而且 案件所在地为 "430104001001"
    当 "civil_affairs.430104000000" 登记儿童迁居至 "430104002001"
    那么 任务"record_guardian_consent"在"village.430104002001"的任务列表中
    而且 任务"record_guardian_consent"不在"village.430104001001"的任务列表中
    而且 案件所在地为 "430104002001"
    而且 儿童档案中有"迁居：由岳麓区望月湖街道望月湖社区迁至岳麓区岳麓街道桃花岭村"
    而且 "village.430104001001"收到迁居通知
    而且 "village.430104002001"收到迁居通知
    而且 "township.430104001000"仍可查阅本案件
    当 "civil_affairs.430104000000" 登记儿童迁居至 "430104002000"
    那么 请求被拒绝，状态码为 422

  场景: 临时监护由民政局选定的救助保护中心体检并接收儿童
    假如 "education.430104000000" 在 "430104001001" 为儿童"小刚"发起"guardianship_revocation"流程：
      | 字段                   | 值                         |
      | reason                 | 儿童多次带伤上学，自述被父亲殴打 |
      | location               | 望月湖社区 12 栋             |
      | occurred_on            | 2026-11-19                 |
      | child_in_danger        | true                       |
      | reporter.name          | 张老师                      |
      | reporter.organisation  | 望月湖小学                   |
      | reporter.reporter_type | school                     |
      | reporter.phone         | 13800000000                |
    当 派出所受理处置报告，儿童仍处于危险之中
    而且 县民政局决定临时监护，由"岳麓区未成年人救助保护中心"收留抚养
    那么 任务"medical_check"在"unit.yl-protection"的任务列表中
    而且 任务"medical_check"不在"protection_center.430104000000"的任务列表中
    而且 任务"medical_check"的办理说明包含"placement_center_unit"
    当 "unit.yl-protection" 办理任务"medical_check"：
      | 字段                | 值           |
      | checked_on          | 2026-11-21   |
      | hospital            | 岳麓区人民医院 |
      | health_findings     | 软组织挫伤     |
      | injuries_documented | true         |
    那么 任务"admit_protection_center"在"unit.yl-protection"的任务列表中
    而且 任务"admit_protection_center"不在"unit.cs-welfare"的任务列表中
    而且 任务"medical_check"不在"unit.cs-welfare"的任务列表中

  场景: 由选定的儿童福利院接收临时监护的儿童，其他机构看不到任务
    假如 "education.430104000000" 在 "430104001001" 为儿童"小刚"发起"guardianship_revocation"流程：
      | 字段                   | 值                         |
      | reason                 | 儿童多次带伤上学，自述被父亲殴打 |
      | location               | 望月湖社区 12 栋             |
      | occurred_on            | 2026-11-19                 |
      | child_in_danger        | true                       |
      | reporter.name          | 张老师                      |
      | reporter.organisation  | 望月湖小学                   |
      | reporter.reporter_type | school                     |
      | reporter.phone         | 13800000000                |
    当 派出所受理处置报告，儿童仍处于危险之中
    而且 县民政局决定临时监护，由"长沙市儿童福利院"收留抚养
    那么 任务"medical_check"在"unit.yl-protection"的任务列表中
    而且 任务"medical_check"不在"protection_center.430104000000"的任务列表中
    当 "unit.yl-protection" 办理任务"medical_check"：
      | 字段                | 值           |
      | checked_on          | 2026-11-21   |
      | hospital            | 岳麓区人民医院 |
      | health_findings     | 软组织挫伤     |
      | injuries_documented | true         |
    那么 任务"admit_welfare_temporary"在"unit.cs-welfare"的任务列表中
    而且 任务"admit_welfare_temporary"不在"welfare_institution.430100000000"的任务列表中
    而且 任务"admit_welfare_temporary"不在"unit.yl-protection"的任务列表中
    而且 任务"admit_welfare_temporary"的办理说明包含"由案件中选定的儿童福利机构办理：长沙市儿童福利院"

  场景: 回归社会安置由集中养育儿童的儿童福利院登记在学情况，其他机构看不到任务
    当 时间到达 2050-03-15
    而且 "welfare_institution.430100000000" 在 "430104001001" 为儿童"小安"发起"orphan_resettlement"流程：
      | 字段                     | 值                     |
      | child.birth_date         | 2032-09-15             |
      | basis                    | institution_orphan     |
      | reason                   | 年满十八周岁前六个月启动安置 |
      | raising_institution_unit | 长沙市儿童福利院          |
    那么 任务"record_study_status"在"unit.cs-welfare"的任务列表中
    而且 任务"record_study_status"不在"welfare_institution.430100000000"的任务列表中
    而且 任务"record_study_status"不在"unit.yl-protection"的任务列表中
    而且 任务"record_study_status"的办理说明包含"由案件中选定的儿童福利机构办理：长沙市儿童福利院"
    当 "welfare_institution.430100000000" 尝试办理任务"record_study_status"：
      | 字段      | 值    |
      | in_school | false |
    那么 请求被拒绝，状态码为 403
    当 "unit.cs-welfare" 办理任务"record_study_status"：
      | 字段      | 值    |
      | in_school | false |
    那么 任务"assess_before_adulthood"在"civil_affairs.430100000000"的任务列表中
