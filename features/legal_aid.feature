# language: zh-CN
功能: 受侵害儿童法律援助绿色通道与综合救助
  湖南 §二.4：开辟遭受侵害困境儿童法律援助绿色通道，落实法律援助、司法救助等救助保护措施。
  重庆（十五）：加强部门协同，为受侵害困境儿童提供身体康复、心理疏导、经济帮扶、法律援助、复学就业等综合救助；
  因遭受侵害暂时无法在原成长环境中生活学习的，教育部门妥善安排入学。
  公安机关处置强制报告时认定儿童遭受侵害的，撤销监护人资格程序同时开通本程序。

  背景:
    假如 童护已部署全部流程并载入演示组织
    当 时间到达 2027-06-01

  场景: 派出所认定儿童遭受侵害，司法局三日内指派法律援助并记入儿童档案，民政局协调综合救助，教育局安排入学
    当 "education.430104000000" 在 "430104001001" 为儿童"小蕾"发起"guardianship_revocation"流程：
      | 字段                   | 值                       |
      | reason                 | 儿童身上多处烫伤，自述被继父虐待 |
      | location               | 望月湖社区 8 栋            |
      | occurred_on            | 2027-05-30               |
      | child_in_danger        | true                     |
      | reporter.name          | 周老师                    |
      | reporter.organisation  | 望月湖小学                 |
      | reporter.reporter_type | school                   |
      | reporter.phone         | 13800000001              |
    而且 "police.430104001000" 办理任务"police_handle_report"：
      | 字段            | 值                         |
      | accepted_at     | 2027-05-31T09:15:00+08:00  |
      | police_measures | criminal_case              |
      | criminal_case   | true                       |
      | child_in_danger | true                       |
      | child_victim    | true                       |
      | handling_note   | 继父涉嫌虐待，已立案侦查，儿童带离现场 |
    那么 案件待办任务为"decide_temporary_guardianship"
    而且 已为同一儿童转入"legal_aid"流程
    而且 任务"assign_legal_aid"在"justice.430104000000"的任务列表中
    而且 任务"assign_legal_aid"须在 3 日内办理
    当 "justice.430104000000" 办理任务"assign_legal_aid"：
      | 字段                   | 值                 |
      | assigned_on            | 2027-06-01         |
      | aid_institution        | 岳麓区法律援助中心     |
      | aid_lawyer             | 刘律师              |
      | aid_lawyer_phone       | 0731-88880000      |
      | aid_matter             | victim_representation |
      | judicial_aid_requested | true               |
    那么 儿童档案中的"受侵害儿童法律援助指派登记"包含"刘律师"
    而且 儿童档案中的"受侵害儿童法律援助指派登记"包含"刑事案件被害人代理"
    而且 "civil_affairs.430104000000"收到本案件的通知"已为遭受侵害的小蕾指派法律援助人员刘律师"
    当 "civil_affairs.430104000000" 办理任务"coordinate_help"：
      | 字段                      | 值                     |
      | coordinated_on            | 2027-06-01             |
      | physical_rehabilitation   | true                   |
      | psychological_counselling | true                   |
      | economic_help             | true                   |
      | needs_school_placement    | true                   |
      | help_note                 | 医院治疗烫伤，心理服务中心疏导，发放临时救助金 |
    那么 任务"arrange_schooling"在"education.430104000000"的任务列表中
    当 "education.430104000000" 办理任务"arrange_schooling"：
      | 字段        | 值            |
      | school_name | 岳麓区桃花岭小学 |
      | enrolled_on | 2027-06-03    |
    那么 流程在结束事件"end_schooled"结束
