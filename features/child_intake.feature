# language: zh-CN
功能: 流浪乞讨、弃婴和解救儿童的接收与监护
  虎林 三.（二）：公安部门对流浪、弃婴、打拐解救和受虐解救儿童做好体检和DNA信息录入工作后再向民政部门移交。
  未成年人保护法第九十二条第（一）项：流浪乞讨或者身份不明、暂时查找不到父母或者其他监护人的，民政部门临时监护，
  由选定的未成年人救助保护机构收留抚养（重庆（十九））并发布寻亲公告。查找到父母、经公安机关核实的，送返家庭并办理交接；
  公告期满无人认领的，民政部门长期监护（第九十四条，不经撤销监护人资格程序），儿童福利机构收留抚养（上海（四）；虎林 三.（五）），
  公安机关办理户籍，儿童登记册中该儿童的记录加上认定的类别。

  背景:
    假如 童护已部署全部流程并载入演示组织
    而且 今天是 2026-11-02

  场景: 公告期内经DNA比对找到父母，送返家庭并办理交接
    假如 "police.430104001000" 在 "430104001001" 为儿童"小军"发起"child_intake"流程：
      | 字段           | 值                                   |
      | found_type     | street                               |
      | source         | public_report                        |
      | found_on       | 2026-11-02                           |
      | found_place    | 望月湖街道公交站                      |
      | initial_search | 儿童说不清家庭住址，人口信息比对暂无结果 |
    那么 案件待办任务为"medical_check_dna"
    而且 任务"medical_check_dna"须在 24 小时内办理
    而且 儿童档案中有"发现、接收儿童登记"
    当 派出所完成体检并录入DNA信息
    那么 任务"decide_temporary_guardianship"在"civil_affairs.430104000000"的任务列表中
    而且 任务"decide_temporary_guardianship"须在 24 小时内办理
    当 县民政局接收移交，决定临时监护并选定"岳麓区未成年人救助保护中心"
    而且 救助保护机构接收儿童并于 2026-11-02 发布寻亲公告
    那么 儿童档案中的"寻亲公告"包含"60 日，至 2027-01-01 止"
    而且 案件待办任务为"record_family_found"
    当 时间过去 20 天
    而且 "civil_affairs.430104000000" 办理任务"record_family_found"：
      | 字段            | 值                         |
      | found_on        | 2026-11-22                 |
      | found_by        | police_dna_match           |
      | police_verified | true                       |
      | search_note     | DNA比对与失踪人口信息库中父亲的样本相符 |
    那么 任务"return_to_family"在"unit.yl-protection"的任务列表中
    当 "unit.yl-protection" 办理任务"return_to_family"：
      | 字段               | 值                  |
      | handed_over_on     | 2026-11-23          |
      | received_by        | 李强                |
      | receiver_relation  | father              |
      | receiver_id_number | 430104198001010014 |
      | handover_note      | 儿童健康，随身物品已清点 |
    那么 流程在结束事件"end_returned"结束
    而且 儿童档案中的"儿童送返家庭交接记录"包含"李强"
    而且 "police.430104001000"收到本案件的通知"送返家庭"
    而且 本案儿童在儿童名册中没有"孤儿"类别

  场景: 公告期满无人认领，民政部门长期监护，儿童登记为孤儿，不经撤销程序
    假如 "police.430104001000" 在 "430104001001" 为儿童"小花"发起"child_intake"流程：
      | 字段           | 值                   |
      | found_type     | abandoned            |
      | source         | police_found         |
      | found_on       | 2026-11-02           |
      | found_place    | 岳麓区人民医院门口    |
      | initial_search | 无随身证件，周边走访无人知情 |
    当 派出所完成体检并录入DNA信息
    而且 县民政局接收移交，决定临时监护并选定"岳麓区未成年人救助保护中心"
    而且 救助保护机构接收儿童并于 2026-11-02 发布寻亲公告
    而且 时间到达 2027-01-01T23:00:00
    那么 案件待办任务为"record_family_found"
    当 时间到达 2027-01-02T00:00:00
    那么 案件待办任务为"decide_long_term_guardianship"
    而且 任务"decide_long_term_guardianship"须在 15 日内办理
    当 "civil_affairs.430104000000" 尝试办理任务"decide_long_term_guardianship"：
      | 字段          | 值         |
      | decided_on    | 2027-01-02 |
      | category      | orphan     |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"请选择收留抚养的儿童福利机构"
    当 "civil_affairs.430104000000" 办理任务"decide_long_term_guardianship"：
      | 字段          | 值             |
      | decided_on    | 2027-01-02     |
      | category      | orphan         |
      | welfare_unit  | 长沙市儿童福利院 |
      | decision_note | 公告期满无人认领，经公安机关确认为弃婴 |
    那么 本案儿童在儿童名册中的类别为"孤儿"
    而且 本案儿童的登记变更记录中有"长期监护认定"：认定为孤儿
    而且 儿童档案中的"民政部门长期监护决定"包含"未成年人保护法第九十四条"
    而且 任务"admit_to_welfare_institution"在"unit.cs-welfare"的任务列表中
    而且 任务"admit_to_welfare_institution"不在"welfare_institution.430100000000"的任务列表中
    当 "unit.cs-welfare" 办理任务"admit_to_welfare_institution"：
      | 字段              | 值                   |
      | admitted_on       | 2027-01-05           |
      | care_plan         | 集中养育，入园前早期教育 |
      | medical_insurance | true                 |
    那么 任务"register_household"在"police.430104000000"的任务列表中
    当 "police.430104000000" 办理任务"register_household"：
      | 字段              | 值                         |
      | registered_on     | 2027-01-10                 |
      | household_address | 长沙市儿童福利院集体户       |
    那么 流程在结束事件"end_state_guardianship"结束
    而且 没有为本案儿童发起"guardianship_revocation"流程
    而且 儿童名册中名为"小花"的儿童只有 1 名

  场景: 未完成体检和DNA信息录入的，不能移交民政部门
    假如 "police.430104001000" 在 "430104001001" 为儿童"小峰"发起"child_intake"流程：
      | 字段           | 值                 |
      | found_type     | trafficking_rescued |
      | source         | police_found       |
      | found_on       | 2026-11-02         |
      | found_place    | 长沙火车站          |
      | initial_search | 解救时无法说明家庭住址 |
    那么 "civil_affairs.430104000000"的任务列表中没有本案件的任务
    当 "police.430104001000" 尝试办理任务"medical_check_dna"：
      | 字段              | 值                 |
      | checked_on        | 2026-11-02         |
      | hospital          | 岳麓区人民医院      |
      | health_findings   | 身体健康            |
      | needs_treatment   | false              |
      | dna_entered       | false              |
      | dna_entered_on    | 2026-11-02         |
      | dna_sample_number | 待采集              |
      | identity_search   | 失踪人口信息库比对中 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"须完成体检和DNA信息录入后方可向民政部门移交"
    而且 案件待办任务为"medical_check_dna"
    而且 "civil_affairs.430104000000"的任务列表中没有本案件的任务
    当 "civil_affairs.430104000000" 尝试办理任务"medical_check_dna"：
      | 字段              | 值                 |
      | checked_on        | 2026-11-02         |
      | hospital          | 岳麓区人民医院      |
      | health_findings   | 身体健康            |
      | needs_treatment   | false              |
      | dna_entered       | true               |
      | dna_entered_on    | 2026-11-02         |
      | dna_sample_number | DNA-1              |
      | identity_search   | 无                 |
    那么 请求被拒绝，状态码为 403
    当 派出所完成体检并录入DNA信息
    那么 案件待办任务为"decide_temporary_guardianship"

  场景: 接收、寻亲和送返只由民政局选定的救助保护中心办理
    假如 "police.430104001000" 在 "430104001001" 为儿童"小明"发起"child_intake"流程：
      | 字段           | 值             |
      | found_type     | unidentified   |
      | source         | public_report  |
      | found_on       | 2026-11-02     |
      | found_place    | 岳麓山景区      |
      | initial_search | 广播寻人无人认领 |
    当 派出所完成体检并录入DNA信息
    而且 "civil_affairs.430104000000" 尝试办理任务"decide_temporary_guardianship"：
      | 字段        | 值                    |
      | received_on | 2026-11-02            |
      | basis       | stray_or_unidentified |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"请选择收留抚养的未成年人救助保护机构"
    当 "civil_affairs.430104000000" 尝试办理任务"decide_temporary_guardianship"：
      | 字段                   | 值                    |
      | received_on            | 2026-11-02            |
      | basis                  | stray_or_unidentified |
      | protection_center_unit | 长沙市儿童福利院        |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"请从给定选项中选择"
    当 县民政局接收移交，决定临时监护并选定"岳麓区未成年人救助保护中心"
    那么 任务"admit_to_protection_center"在"unit.yl-protection"的任务列表中
    而且 任务"admit_to_protection_center"不在"protection_center.430104000000"的任务列表中
    而且 任务"admit_to_protection_center"不在"unit.cs-welfare"的任务列表中
    而且 任务"admit_to_protection_center"须在 24 小时内办理
    当 "protection_center.430104000000" 尝试办理任务"admit_to_protection_center"：
      | 字段             | 值       |
      | admitted_on      | 2026-11-02 |
      | care_arrangement | 生活照料   |
    那么 请求被拒绝，状态码为 403
    当 救助保护机构接收儿童并于 2026-11-03 发布寻亲公告
    那么 案件待办任务为"record_family_found"
    而且 儿童档案中有"寻亲公告"
