# language: zh-CN
功能: 儿童主任走访名册、两年复评与半年档案检查
  重庆（十一）、湖北 二.16：村（居）儿童主任对每名困境儿童至少每月联系一次、每季度入户走访一次，
  风险越高越频繁（绿色每月联系、每季度走访；黄色、橙色加倍；红色每周联系、每月走访，为部署设置）；
  逾期未办的通知乡镇（街道）督导；走访发现问题的，据此为儿童发起相应程序。
  湖南 §六.3：家庭监护能力至迟每两年复评一次。湖北 二.16：县级民政部门每半年检查一次档案。
  名册由儿童的住所地决定：儿童迁居即进入新住所地的名册，年满十八周岁或不再属于困境儿童类别即离开名册。

  背景:
    假如 童护已部署全部流程并载入演示组织
    而且 今天是 2027-03-01

  场景: 联系和走访的频次随风险等级而定
    假如 "430104001001"登记困境儿童"小绿"：
      | 字段       | 值          |
      | categories | left_behind |
      | risk_grade | green       |
    而且 "430104001001"登记困境儿童"小红"：
      | 字段       | 值     |
      | categories | orphan、disabled |
      | risk_grade | red    |
    当 调度程序运行
    那么 儿童"小绿"的名册任务为：
      | 类型 | 期限       |
      | 联系 | 2027-03-31 |
      | 走访 | 2027-03-31 |
    而且 儿童"小红"的名册任务为：
      | 类型 | 期限       |
      | 联系 | 2027-03-07 |
      | 走访 | 2027-03-31 |
    而且 "village.430104001001"的走访名册中有儿童"小红"
    而且 "village.430104002001"的走访名册中没有儿童"小红"
    当 调度程序运行
    那么 儿童"小红"的名册任务为：
      | 类型 | 期限       |
      | 联系 | 2027-03-07 |
      | 走访 | 2027-03-31 |
    当 时间到达 2027-03-08
    那么 儿童"小红"的名册任务为：
      | 类型 | 期限       |
      | 联系 | 2027-03-07 |
      | 联系 | 2027-03-14 |
      | 走访 | 2027-03-31 |
    而且 "supervisor.township.430104001000"收到通知，内容包含"望月湖社区儿童主任有 1 项联系或入户走访逾期未办（儿童：小红）"
    而且 儿童"小红"的档案中有"走访名册逾期：儿童主任联系（2027-03-01 至 2027-03-07）"

  场景大纲: 入户走访发现问题，据此为儿童发起<名称>
    假如 "430104001001"登记困境儿童"小安"：
      | 字段       | 值          |
      | categories | <类别>      |
      | risk_grade | orange      |
    而且 调度程序运行
    当 "village.430104001001" 登记儿童"小安"的入户走访：
      | 字段              | 值 |
      | contacted_on      | 2027-03-01 |
      | method            | home_visit |
      | safety_at_home    | danger |
      | school_attendance | irregular |
      | guardian_care     | neglectful |
      | signs             | emotional_behaviour、family_change |
      | notes             | 父亲酗酒后打骂儿童，儿童沉默寡言、经常缺课 |
      | risk_grade        | red |
      | follow_up         | <流程> |
      | reporter_phone    | 13800000000 |
    那么 儿童"小安"有正在进行的"<流程>"案件
    而且 任务"<首个任务>"在"<办理单位>"的任务列表中
    而且 儿童档案中的"<立案>"包含"父亲酗酒后打骂儿童"
    而且 儿童"小安"的档案中有"儿童主任入户走访"
    而且 儿童"小安"的档案中有"风险等级调整：橙色（较高风险） → 红色（高风险）"

    例子:
      | 名称           | 流程                    | 首个任务                     | 办理单位                        | 立案                     | 类别                 |
      | 心理健康转介   | psych_referral          | record_contact               | village.430104001001            | 立案：心理健康转介       | left_behind          |
      | 强制报告       | guardianship_revocation | police_handle_report         | police.430104001000             | 立案：撤销监护人资格     | left_behind          |
      | 监护能力评估   | guardianship_assessment | township_home_investigation  | township.430104001000           | 转入：家庭监护能力评估   | left_behind          |
      | 委托照护       | entrustment_care        | township_home_investigation  | township.430104001000           | 立案：五方委托照护协议   | de_facto_unsupported |
      | 基本生活保障申请 | basic_living_support  | township_review              | township.430104001000           | 立案：基本生活保障       | de_facto_unsupported |

  场景: 监护能力充足的，两年届满前开启复评，按首次评估同样分派
    假如 "village.430104001001" 在 "430104001001" 为儿童"小评"发起"entrustment_care"流程：
      | 字段          | 值                 |
      | category      | de_facto_unsupported |
      | reason        | 祖母年迈，需评估监护能力 |
      | discovered_by | monthly_contact    |
    当 乡镇完成入户调查
    而且 "civil_affairs.430104000000" 办理任务"assess_capacity"：
      | 字段                  | 值       |
      | health_rating         | good     |
      | income_rating         | good     |
      | ability_rating        | good     |
      | assessors             | 刘科长、李督导员 |
      | assessed_on           | 2027-03-01 |
      | guardianship_capacity | adequate |
      | assessment_summary    | 祖母身体尚可，收入稳定 |
    而且 "township.430104001000" 办理任务"ordinary_support"：
      | 字段             | 值 |
      | support_measures  | 每月联系，协助申请临时救助 |
      | reassessment_date | 2029-03-01 |
    那么 流程在结束事件"end_ordinary_support"结束
    当 时间到达 2029-01-31
    那么 "township.430104001000"的任务列表中没有儿童的任务"township_home_investigation"
    当 时间到达 2029-02-01
    那么 "township.430104001000"的任务列表中有儿童的任务"township_home_investigation"
    而且 儿童"小评"有正在进行的"guardianship_assessment"案件
    而且 儿童档案中有"立案：家庭监护能力两年复评（上次评估 2027-03-01）"
    当 时间过去 1 天
    那么 儿童"小评"有正在进行的"guardianship_assessment"案件
    当 "township.430104001000" 办理任务"township_home_investigation"：
      | 字段              | 值         |
      | guardian_name     | 王秀英     |
      | guardian_relation | grandparent |
      | health            | 尚可       |
      | income            | 低保       |
      | living_conditions | 祖孙二人同住 |
    那么 任务"assess_capacity"在"civil_affairs.430104000000"的任务列表中

  场景: 县级民政部门每半年检查乡镇的儿童档案，意见送乡镇
    假如 今天是 2027-06-20
    而且 "430104001001"登记困境儿童"小查"：
      | 字段       | 值     |
      | categories | left_behind |
      | risk_grade | red    |
    而且 调度程序运行
    当 时间到达 2027-07-01
    那么 "civil_affairs.430104000000"有"430104001000"2027-07的档案检查，列出儿童"小查"：联系逾期
    而且 "civil_affairs.430104000000"有"430104001000"2027-07的档案检查，列出儿童"小查"：风险等级半年内未经入户走访复核
    当 时间过去 1 天
    那么 "430104001000"2027-07的档案检查只有 1 项
    当 "civil_affairs.430104000000" 办理"430104001000"2027-07的档案检查：
      | 字段       | 值 |
      | summary    | 望月湖社区红色风险儿童联系不及时，请督促儿童主任每周联系并补记 |
      | rectify_by | 2027-07-31 |
    那么 "township.430104001000"收到通知，内容包含"请督促儿童主任每周联系并补记"

  场景: 儿童迁居进入新住所地的名册，年满十八周岁离开名册
    假如 "430104001001"登记困境儿童"小迁"：
      | 字段       | 值          |
      | categories | migrant     |
    而且 "430104001001"登记困境儿童"小满"：
      | 字段       | 值          |
      | categories | orphan      |
      | birth_date | 2009-03-20  |
    而且 调度程序运行
    那么 "village.430104001001"的走访名册中有儿童"小迁"
    当 儿童"小迁"迁居到"430104002001"
    那么 "village.430104002001"的走访名册中有儿童"小迁"
    而且 "village.430104001001"的走访名册中没有儿童"小迁"
    而且 "village.430104001001"的走访名册中有儿童"小满"
    当 时间到达 2027-03-20
    那么 "village.430104001001"的走访名册中没有儿童"小满"
    而且 儿童"小满"的名册任务均已取消
