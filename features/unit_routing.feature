# language: zh-CN
功能: 按案件中选定的单位分派任务
  湖南 §三.2：委托照护机构为儿童福利机构或未成年人救助保护机构。县级民政局选定的机构本身
  签署协议并接收儿童；其他机构和县级委托照护机构看不到这些任务。

  背景:
    假如 童护已部署全部流程并载入演示组织
    而且 "village.430104001001" 在 "430104001001" 为儿童"小兰"发起"entrustment_care"流程：
      | 字段          | 值                           |
      | category      | de_facto_unsupported         |
      | reason        | 父母外出务工，祖母年迈多病无力照料 |
      | discovered_by | monthly_contact              |

  场景: 选定的救助保护中心签署协议并接收儿童，其他机构看不到任务
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
    当 乡镇完成入户调查
    而且 县民政局评估监护能力不足
    而且 "village.430104001001" 办理任务"record_guardian_consent"：
      | 字段              | 值   |
      | guardian_consents | true |
      | consent_note      | 同意委托 |
    而且 "civil_affairs.430104000000" 尝试选定照护机构"岳麓区望月湖小学"
    那么 请求被拒绝，状态码为 422
    而且 拒绝理由包含"请从给定选项中选择"
