# language: zh-CN
功能: 检察机关在撤销监护人资格案件中的监督
  湖北 二.6：儿童合法权益受到侵犯，相关单位和个人未代为提起诉讼的，人民检察院可以督促、支持其提起诉讼；
  涉及公共利益的，人民检察院有权提起公益诉讼；发现有关单位履行职责不力的，应当及时发出检察建议。
  未成年人保护法第一百零六条。检察院在办案中发现并报告的案件，民政部门调查后不申请撤销的，由检察院审查。

  背景:
    假如 童护已部署全部流程并载入演示组织
    当 时间到达 2027-06-01
    而且 "procuratorate.430104000000" 在 "430104001001" 为儿童"小安"发起"guardianship_revocation"流程：
      | 字段                   | 值                         |
      | reason                 | 办理监护人遗弃案件中发现儿童长期无人照料 |
      | location               | 望月湖社区 5 栋              |
      | occurred_on            | 2026-11-18                 |
      | child_in_danger        | false                      |
      | reporter.name          | 王检察官                    |
      | reporter.organisation  | 岳麓区人民检察院              |
      | reporter.reporter_type | procuratorate              |
      | reporter.phone         | 0731-88881111              |
    而且 "police.430104001000" 办理任务"police_handle_report"：
      | 字段            | 值                         |
      | accepted_at     | 2026-11-20T09:15:00+08:00  |
      | police_measures | reprimand                  |
      | criminal_case   | false                      |
      | child_in_danger | false                      |
      | handling_note   | 对监护人训诫                  |
    而且 县民政局决定不临时监护
    而且 家庭监护能力评估结论为"severe_risk"
    而且 县民政局调查评估，决定"family_education_order"

  场景: 民政部门不申请撤销，检察院发出检察建议，民政部门采纳后申请撤销
    那么 任务"procuratorate_oversight"在"procuratorate.430104000000"的任务列表中
    而且 任务"follow_up_lighter"不在"township.430104001000"的任务列表中
    当 "procuratorate.430104000000" 办理任务"procuratorate_oversight"：
      | 字段                      | 值                         |
      | oversight_action          | suggestion                 |
      | oversight_document_number | 岳检民建〔2026〕3号           |
      | oversight_opinion         | 监护人长期遗弃儿童，家庭教育指导不足以保护儿童 |
    那么 任务"reply_procuratorial_suggestion"在"civil_affairs.430104000000"的任务列表中
    而且 任务"reply_procuratorial_suggestion"须在 61 日内办理
    当 "civil_affairs.430104000000" 办理任务"reply_procuratorial_suggestion"：
      | 字段                | 值           |
      | suggestion_accepted | true         |
      | replied_on          | 2026-12-20   |
      | suggestion_reply    | 采纳，依法申请撤销 |
    而且 县民政局作为申请人申请撤销
    那么 儿童档案中的"撤销监护人资格申请书"包含"岳检民建〔2026〕3号"
    而且 案件待办任务为"court_accept"

  场景: 无人代为申请，检察院自行向法院提起诉讼
    当 "procuratorate.430104000000" 办理任务"procuratorate_oversight"：
      | 字段                      | 值                         |
      | oversight_action          | procuratorate_suit         |
      | oversight_document_number | 岳检民诉〔2026〕1号           |
      | oversight_opinion         | 无其他申请人，民政部门未申请，依法提起诉讼 |
    那么 儿童档案中的"撤销监护人资格申请书"包含"县级人民检察院（人民检察院）"
    而且 儿童档案中的"撤销监护人资格申请书"包含"岳检民诉〔2026〕1号"
    而且 儿童档案中的"撤销监护人资格申请书"包含"无其他申请人，民政部门未申请"
    而且 案件待办任务为"court_accept"
