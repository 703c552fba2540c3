# language: zh-CN
功能: 临时生活照料
  湖南 §六.1：村（居）民委员会定期走访，发现监护能力不足或儿童出现心理、行为异常的，及时告知其父母，
  并依法开展临时照护、关爱帮扶和强制报告。上海（十八）：监护人暂时无法履行监护职责，儿童生活处于无人照料
  状态的，儿童住所地的居（村）民委员会应为其安排必要的临时生活照料措施。

  背景:
    假如 童护已部署全部流程并载入演示组织
    而且 今天是 2026-11-20
    而且 "village.430104001001" 在 "430104001001" 为儿童"小雪"发起"temporary_life_care"流程：
      | 字段     | 值                               |
      | finding  | guardian_unable                  |
      | found_on | 2026-11-20                       |
      | reason   | 父亲住院，母亲在外务工失联，儿童独自在家 |

  场景: 监护人暂时无法履职、儿童无人照料的，告知父母后安排临时生活照料，父母恢复照料后结束
    那么 任务"inform_parents"在"village.430104001001"的任务列表中
    而且 任务"inform_parents"须在 24 小时内办理
    而且 任务"inform_parents"不在"village.430104001002"的任务列表中
    当 "village.430104001001" 办理任务"inform_parents"：
      | 字段             | 值                      |
      | informed_on      | 2026-11-20              |
      | informed_whom    | 父亲 李强（住院中）        |
      | parents_response | 请村委会帮忙照看，出院后接回 |
      | child_unattended | true                    |
      | child_in_danger  | false                   |
    那么 案件待办任务为"arrange_temporary_care"
    当 "village.430104001001" 办理任务"arrange_temporary_care"：
      | 字段        | 值                     |
      | carer_kind  | neighbour              |
      | carer_name  | 邻居 张阿姨              |
      | starts_on   | 2026-11-20             |
      | arrangement | 在张阿姨家吃住，儿童主任每日电话 |
    那么 案件待办任务为"end_temporary_care"
    当 "village.430104001001" 办理任务"end_temporary_care"：
      | 字段       | 值               |
      | ended_on   | 2026-12-05       |
      | end_reason | guardian_resumed |
    那么 流程在结束事件"end_care_ended"结束
    而且 没有为本案儿童发起"guardianship_revocation"流程

  场景: 儿童有人照料的，告知父母后开展关爱帮扶
    当 "village.430104001001" 办理任务"inform_parents"：
      | 字段             | 值              |
      | informed_on      | 2026-11-20      |
      | informed_whom    | 母亲 张丽         |
      | parents_response | 祖母可以照料，母亲下月返乡 |
      | child_unattended | false           |
      | child_in_danger  | false           |
    那么 案件待办任务为"care_support"
    当 "village.430104001001" 办理任务"care_support"：
      | 字段             | 值               |
      | support_measures | 家庭监护指导，心理疏导 |
    那么 流程在结束事件"end_supported"结束

  场景: 疑似遭受侵害的，强制报告并同时安排临时生活照料
    当 "village.430104001001" 办理任务"inform_parents"：
      | 字段             | 值                  |
      | informed_on      | 2026-11-20          |
      | informed_whom    | 父亲 李强             |
      | parents_response | 拒绝回来照料          |
      | child_unattended | true                |
      | child_in_danger  | true                |
    那么 已为同一儿童转入"guardianship_revocation"流程
    而且 儿童档案中的"移交撤销监护人资格程序登记"包含"临时生活照料"
    当 转到为同一儿童发起的"temporary_life_care"流程
    那么 案件待办任务为"arrange_temporary_care"
