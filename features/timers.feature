# language: zh-CN
功能: 期限、逾期升级与定期走访
  儿童福利工作受时间约束：每个任务有办理期限，逾期的通知主管并列入逾期清单；
  委托照护协议期间，照护机构每年家访、属地儿童督导员每半年回访（湖南 §三.2），
  直至儿童年满十八周岁；走访发现被委托照护人缺乏照护能力或怠于履职的，
  告知监护人并重新选择被委托照护人（湖北 二.5）。时间由调度程序推进，与后台线程、
  `tonghu timers fire` 使用同一段代码。

  背景:
    假如 童护已部署全部流程并载入演示组织
    而且 今天是 2026-11-20

  场景: 家庭监护能力评估逾期，通知主管并列入逾期清单
    假如 "village.430104001001" 在 "430104001001" 为儿童"小华"发起"entrustment_care"流程：
      | 字段          | 值                 |
      | category      | de_facto_unsupported |
      | reason        | 祖母年迈多病无力照料 |
      | discovered_by | monthly_contact    |
    当 乡镇完成入户调查
    那么 任务"assess_capacity"的办理期限为 2026-12-05
    当 时间过去 14 天
    那么 任务"assess_capacity"未逾期
    而且 "supervisor.civil_affairs.430104000000"没有收到任务"assess_capacity"的逾期提醒
    当 时间过去 2 天
    那么 任务"assess_capacity"已逾期
    而且 "supervisor.civil_affairs.430104000000"收到任务"assess_capacity"的逾期提醒
    而且 任务"assess_capacity"在"supervisor.civil_affairs.430104000000"的逾期清单中
    而且 任务"assess_capacity"在"civil_affairs.430104000000"的逾期清单中
    而且 儿童档案中有"任务逾期：家庭监护能力评估"
    当 时间过去 1 天
    那么 "supervisor.civil_affairs.430104000000"收到任务"assess_capacity"的逾期提醒 1 次

  场景: 村委会代录的任务逾期，没有本部门主管时通知牵头的民政主管
    假如 "village.430104001001" 在 "430104001001" 为儿童"小华"发起"entrustment_care"流程：
      | 字段          | 值                 |
      | category      | de_facto_unsupported |
      | reason        | 祖母年迈多病无力照料 |
      | discovered_by | monthly_contact    |
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    那么 任务"record_guardian_consent"的办理期限为 2026-11-27
    当 时间过去 8 天
    那么 任务"record_guardian_consent"已逾期
    而且 "supervisor.civil_affairs.430104000000"收到任务"record_guardian_consent"的逾期提醒
    而且 任务"record_guardian_consent"在"village.430104001001"的逾期清单中

  场景: 半年回访两年内按期出现
    假如 "village.430104001001" 在 "430104001001" 为儿童"小华"发起"entrustment_care"流程：
      | 字段          | 值                 |
      | category      | de_facto_unsupported |
      | reason        | 祖母年迈多病无力照料 |
      | discovered_by | monthly_contact    |
    当 委托照护协议生效，儿童于 2026-12-01 入住
    那么 儿童档案中有"开启定期走访：儿童督导员半年回访"
    而且 定期走访"儿童督导员半年回访"仍在进行，下次于 2027-06-01 到期
    而且 定期走访"照护机构年度家访"仍在进行，下次于 2027-12-01 到期
    当 时间到达 2027-04-30
    那么 "township.430104001000"的任务列表中没有儿童的任务"supervisor_return_visit"
    当 时间到达 2027-05-01
    那么 "township.430104001000"的任务列表中有儿童的任务"supervisor_return_visit"，办理期限为 2027-06-01
    当 "township.430104001000" 办理儿童的任务"supervisor_return_visit"：
      | 字段          | 值 |
      | visited_on    | 2027-05-20 |
      | visit_method  | institution_visit |
      | findings      | 儿童生活规律，学习进步 |
      | carer_status  | adequate |
    那么 儿童档案中的"儿童督导员回访"包含"学习进步"
    而且 定期走访"儿童督导员半年回访"仍在进行，下次于 2027-12-01 到期
    当 时间到达 2027-11-01
    那么 "township.430104001000"的任务列表中有儿童的任务"supervisor_return_visit"，办理期限为 2027-12-01
    而且 "unit.cs-welfare"的任务列表中有儿童的任务"institution_home_visit"，办理期限为 2027-12-01
    当 "township.430104001000" 办理儿童的任务"supervisor_return_visit"：
      | 字段          | 值 |
      | visited_on    | 2027-11-15 |
      | visit_method  | home_visit |
      | findings      | 情况良好 |
      | carer_status  | adequate |
    而且 "unit.cs-welfare" 办理儿童的任务"institution_home_visit"：
      | 字段          | 值 |
      | visited_on    | 2027-11-20 |
      | visit_method  | home_visit |
      | findings      | 家中祖母身体好转 |
      | carer_status  | adequate |
    当 时间到达 2028-05-01
    那么 "township.430104001000"的任务列表中有儿童的任务"supervisor_return_visit"，办理期限为 2028-06-01
    当 "township.430104001000" 办理儿童的任务"supervisor_return_visit"：
      | 字段          | 值 |
      | visited_on    | 2028-05-10 |
      | visit_method  | home_visit |
      | findings      | 情况良好 |
      | carer_status  | adequate |
    当 时间到达 2028-11-01
    那么 "township.430104001000"的任务列表中有儿童的任务"supervisor_return_visit"，办理期限为 2028-12-01
    当 "township.430104001000" 办理儿童的任务"supervisor_return_visit"：
      | 字段          | 值 |
      | visited_on    | 2028-11-10 |
      | visit_method  | home_visit |
      | findings      | 情况良好 |
      | carer_status  | adequate |
    那么 儿童的任务"supervisor_return_visit"已办结 4 次
    而且 定期走访"儿童督导员半年回访"共发起 4 次
    而且 定期走访"儿童督导员半年回访"仍在进行，下次于 2029-06-01 到期
    而且 流程仍在进行中

  场景: 儿童年满十八周岁，走访停止
    假如 "village.430104001001" 在 "430104001001" 为儿童"小刚"发起"entrustment_care"流程：
      | 字段             | 值                 |
      | child.birth_date | 2009-12-15         |
      | category         | de_facto_unsupported |
      | reason           | 祖母年迈多病无力照料 |
      | discovered_by    | monthly_contact    |
    当 委托照护协议生效，儿童于 2026-12-01 入住
    那么 任务"terminate_agreement"的办理期限为 2027-12-15
    当 时间到达 2027-05-01
    而且 "township.430104001000" 办理儿童的任务"supervisor_return_visit"：
      | 字段          | 值 |
      | visited_on    | 2027-05-10 |
      | visit_method  | home_visit |
      | findings      | 情况良好 |
      | carer_status  | adequate |
    而且 时间到达 2027-11-01
    那么 "township.430104001000"的任务列表中有儿童的任务"supervisor_return_visit"，办理期限为 2027-12-01
    当 "township.430104001000" 办理儿童的任务"supervisor_return_visit"：
      | 字段          | 值 |
      | visited_on    | 2027-11-10 |
      | visit_method  | home_visit |
      | findings      | 即将成年，已做就业指导 |
      | carer_status  | adequate |
    而且 "unit.cs-welfare" 办理儿童的任务"institution_home_visit"：
      | 字段          | 值 |
      | visited_on    | 2027-11-20 |
      | visit_method  | home_visit |
      | findings      | 已商定成年后的安置 |
      | carer_status  | adequate |
    当 时间到达 2027-12-16
    那么 定期走访"儿童督导员半年回访"已结束，原因为"儿童年满十八周岁"
    而且 定期走访"照护机构年度家访"已结束，原因为"儿童年满十八周岁"
    而且 儿童档案中有"定期走访结束：儿童督导员半年回访（儿童年满十八周岁）"
    而且 任务"terminate_agreement"已逾期
    而且 "supervisor.civil_affairs.430104000000"收到任务"terminate_agreement"的逾期提醒
    当 时间到达 2028-06-01
    那么 "township.430104001000"的任务列表中没有儿童的任务"supervisor_return_visit"
    而且 定期走访"儿童督导员半年回访"共发起 2 次
    而且 定期走访"照护机构年度家访"共发起 1 次
    当 "civil_affairs.430104000000" 办理任务"terminate_agreement"：
      | 字段               | 值 |
      | termination_reason | turned_18 |
      | terminated_on      | 2027-12-15 |
    那么 流程在结束事件"end_agreement_terminated"结束

  场景: 走访发现被委托照护人怠于履职，告知监护人并重新选择
    假如 "village.430104001001" 在 "430104001001" 为儿童"小华"发起"entrustment_care"流程：
      | 字段          | 值                 |
      | category      | de_facto_unsupported |
      | reason        | 祖母年迈多病无力照料 |
      | discovered_by | monthly_contact    |
    当 委托照护协议生效，儿童于 2026-12-01 入住
    而且 时间到达 2027-05-01
    当 "township.430104001000" 办理儿童的任务"supervisor_return_visit"：
      | 字段          | 值 |
      | visited_on    | 2027-05-08 |
      | visit_method  | institution_visit |
      | findings      | 儿童衣着单薄，机构未按约提供学业辅导 |
      | problems      | 照护机构人手不足，长期未履行照护职责 |
      | carer_status  | neglectful |
    那么 "village.430104001001"的任务列表中有儿童的任务"reselect_carer"
    而且 "civil_affairs.430104000000"的任务列表中没有儿童的任务"reselect_carer"
    当 "civil_affairs.430104000000" 尝试办理儿童的任务"reselect_carer"：
      | 字段             | 值 |
      | parents_informed | true |
      | informed_on      | 2027-05-10 |
      | carer_measure    | reselect |
      | new_carer        | 岳麓区未成年人救助保护中心 |
      | chosen_by        | 王秀英 |
      | measure_note     | 县民政局代为更换 |
    那么 请求被拒绝，状态码为 403
    当 "village.430104001001" 尝试办理儿童的任务"reselect_carer"：
      | 字段             | 值 |
      | parents_informed | true |
      | carer_measure    | reselect |
      | measure_note     | 改由救助保护机构照护 |
    那么 请求被拒绝，状态码为 422
    当 "village.430104001001" 尝试办理儿童的任务"reselect_carer"：
      | 字段             | 值 |
      | parents_informed | false |
      | informed_on      | 2027-05-10 |
      | carer_measure    | reselect |
      | new_carer        | 岳麓区未成年人救助保护中心 |
      | chosen_by        | 王秀英 |
      | measure_note     | 未联系上父母，先行更换 |
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"须先告知儿童父母或其他监护人"
    当 "village.430104001001" 办理儿童的任务"reselect_carer"：
      | 字段             | 值 |
      | parents_informed | true |
      | informed_on      | 2027-05-10 |
      | carer_measure    | reselect |
      | new_carer        | 岳麓区未成年人救助保护中心 |
      | new_carer_unit   | 岳麓区未成年人救助保护中心 |
      | chosen_by        | 王秀英 |
      | measure_note     | 已告知在外务工的父母，父母与祖母商定改由救助保护中心照护 |
    那么 儿童档案中有"重新选择被委托照护人：岳麓区未成年人救助保护中心"
    而且 委托照护协议案件的档案记录"委托照护协议变更：被委托照护人改为岳麓区未成年人救助保护中心"包含"王秀英"
    而且 委托照护协议案件的档案记录"委托照护协议变更：被委托照护人改为岳麓区未成年人救助保护中心"包含"长沙市儿童福利院"
    而且 定期走访"儿童督导员半年回访"的被委托照护人为"岳麓区未成年人救助保护中心"
    而且 定期走访"照护机构年度家访"的被委托照护人为"岳麓区未成年人救助保护中心"
    当 时间到达 2027-11-20
    那么 "unit.yl-protection"的任务列表中有儿童的任务"institution_home_visit"
    而且 "unit.cs-welfare"的任务列表中没有儿童的任务"institution_home_visit"
    而且 儿童的任务"reselect_carer"已办结 1 次

  场景: 监护能力恢复，协议终止，尚未办理的走访取消
    假如 "village.430104001001" 在 "430104001001" 为儿童"小华"发起"entrustment_care"流程：
      | 字段          | 值                 |
      | category      | de_facto_unsupported |
      | reason        | 祖母年迈多病无力照料 |
      | discovered_by | monthly_contact    |
    当 委托照护协议生效，儿童于 2026-12-01 入住
    而且 时间到达 2027-05-01
    那么 "township.430104001000"的任务列表中有儿童的任务"supervisor_return_visit"，办理期限为 2027-06-01
    当 "civil_affairs.430104000000" 办理任务"terminate_agreement"：
      | 字段               | 值 |
      | termination_reason | capacity_restored |
      | terminated_on      | 2027-05-15 |
    那么 流程在结束事件"end_agreement_terminated"结束
    而且 定期走访"儿童督导员半年回访"已结束，原因为"监护人监护能力恢复"
    而且 儿童的任务"supervisor_return_visit"已取消
    当 时间到达 2027-12-01
    那么 "township.430104001000"的任务列表中没有儿童的任务"supervisor_return_visit"

  场景: 村委会临时加访，儿童主任联系走访并记入档案
    假如 "village.430104001001" 在 "430104001001" 为儿童"小军"发起"monitoring_visit"流程：
      | 字段   | 值 |
      | kind   | quarterly_home_visit |
      | reason | 父亲外出务工后儿童情绪低落，临时加访 |
    那么 任务"director_visit"在"village.430104001001"的任务列表中
    而且 任务"director_visit"须在 7 日内办理
    当 "village.430104001001" 办理任务"儿童主任联系走访"：
      | 字段         | 值 |
      | visited_on   | 2026-11-22 |
      | visit_method | home_visit |
      | findings     | 祖母照料尚可，儿童作业按时完成 |
      | carer_status | adequate |
    那么 流程在结束事件"end_visit_done"结束
    而且 儿童档案中的"儿童主任联系走访"包含"作业按时完成"
