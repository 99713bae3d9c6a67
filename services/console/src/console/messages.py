"""The console's words in Chinese (the default) and English: one catalogue, keyed by message id.

Refusals are keyed by what the service said: ``problem.<code>`` (the rule's stable code,
docs/refusals.md) first, then ``refusal.<status>.<reason>``, then ``refusal.<status>``; the
service's own sentence is shown beneath, as the record of why.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

CATALOGUE: dict[str, tuple[str, str]] = {
    # frame
    "app.title": ("3C 强制性产品认证监管", "CCC Supervision"),
    "nav.work": ("我的工作", "My work"),
    "nav.search": ("查询", "Search"),
    "nav.plan": ("巡查计划", "Patrol plan"),
    "nav.figures": ("数据看板", "Figures"),
    "nav.notices": ("通知", "Notices"),
    "nav.complaint": ("投诉登记", "New complaint"),
    "nav.signout": ("退出", "Sign out"),
    "nav.language": ("English", "中文"),
    "signed_in_as": ("当前用户", "Signed in as"),
    # sign-in
    "signin.title": ("登录", "Sign in"),
    "signin.user_id": ("用户名", "User id"),
    "signin.password": ("密码", "Password"),
    "signin.submit": ("登录", "Sign in"),
    "signin.wrong": ("用户名或密码不正确。", "The user id or password is not right."),
    "signin.throttled": (
        "登录失败次数过多，请 {minutes} 分钟后再试。如非本人操作，请联系管理员。",
        "Too many failed sign-ins; try again in {minutes} minutes. If this was not you, tell"
        " the administrator.",
    ),
    "signin.expired": (
        "登录已过期，请重新登录。",
        "Your session has expired; please sign in again.",
    ),
    "signin.provider_refused": (
        "统一身份认证未能确认您的身份，请重新登录。",
        "The identity provider could not confirm who you are; please sign in again.",
    ),
    "signin.needed": ("请先登录。", "Please sign in first."),
    "signin.signed_out": ("您已退出。", "You have signed out."),
    "signin.oidc": ("通过局统一身份认证登录", "Sign in with the bureau's identity provider"),
    "csrf.refused": (
        "表单已失效（缺少或错误的安全令牌），请返回刷新后重试。",
        "The form has expired (missing or wrong security token); go back, reload and try again.",
    ),
    # roles
    "role.inspector": ("监督检查员", "Inspector"),
    "role.case_officer": ("案件承办人", "Case officer"),
    "role.section_head": ("科长", "Section head"),
    "role.auditor": ("审计员", "Auditor"),
    "role.admin": ("管理员", "Administrator"),
    "role.system": ("系统", "System"),
    # my work
    "work.title": ("我的工作", "My work"),
    "work.today": ("今天", "Today"),
    "work.overdue": ("已逾期", "Overdue"),
    "work.due_today": ("今天到期", "Due today"),
    "work.waiting": ("等待我处理", "Waiting for me"),
    "work.unassigned": ("待分派", "Not yet assigned"),
    "work.nothing": ("没有。", "Nothing."),
    "work.inspections": ("检查任务", "Inspections"),
    "work.cases": ("案件", "Cases"),
    "work.workload": ("各承办人工作量", "Workload by person"),
    "work.reader": (
        "您可以查询企业、证书和案件的全部记录。",
        "You can look up every record of enterprises, certificates and cases.",
    ),
    "figures.title": ("三个百分之百", "The three 100% figures"),
    "figures.dossiers": ("质量档案建档率", "Enterprises with a kept dossier"),
    "figures.patrols": ("日常巡查完成率（本周期）", "Patrols done as planned (this period)"),
    "figures.handling": ("问题处理率", "Problems found that are handled"),
    "law.basis": ("法律依据：", "Basis:"),
    "law.article": ("条款", "Article"),
    "law.measures": ("处罚种类", "Measures"),
    "law.fine": ("罚款幅度", "Fine range"),
    "law.yuan": ("元", "RMB"),
    "law.precondition": ("前提", "Precondition"),
    "law.precondition.rectification_missed": (
        "责令限期改正且复查未通过",
        "an order to correct whose verification failed",
    ),
    "law.not_yet": ("尚未满足", "not yet met"),
    "law.no_articles": (
        "本案问题无可适用的处罚条款（应移送有管辖权的机关）。",
        "No article punishes this problem here (refer it to the bureau responsible).",
    ),
    "law.due.register_decision_due_on": ("立案决定期限：", "Register decision due:"),
    "law.due.decision_due_on": ("作出处理决定期限：", "Decision due:"),
    "law.due.rectification_deadline": ("整改期限：", "Rectification deadline:"),
    "law.due.report_due_on": ("报送认监委期限：", "CNCA report due:"),
    "law.clock_stopped": (
        "办案期限自 {since} 起因{why}中止计算，恢复前不能作出决定。",
        "The handling clock stopped on {since} for {why}; no decision until it restarts.",
    ),
    "law.days_not_counted": ("已不计入办案期限 {days} 日。", "{days} days not counted so far."),
    "audit.title": ("审计时间线", "Audit timeline"),
    "audit.link": ("审计时间线（事件流）", "Audit timeline (from the streams)"),
    "audit.kind.enterprise": ("企业", "Enterprise"),
    "audit.kind.certificate": ("证书", "Certificate"),
    "audit.kind.case": ("案件", "Case"),
    "audit.about": (
        "各服务发布到事件流上的全部相关事件，按发生先后排列：谁、何时、因何事件（起因）、属于哪条业务链（关联号）。",
        "Every related event the services published on the streams, in the order it happened:"
        " who, when, caused by which event, and in which thread (correlation).",
    ),
    "audit.when": ("时间", "When"),
    "audit.what": ("事件", "Event"),
    "audit.who": ("操作人", "Who"),
    "audit.cause": ("起因事件", "Caused by"),
    "audit.correlation": ("关联号", "Correlation"),
    "audit.where": ("事件流位置", "Stream position"),
    "figures.history_link": ("按月趋势", "Month by month"),
    "figures.now": ("当前", "Now"),
    "figures.window": ("时间范围：", "Period:"),
    "figures.months": ("近 {count} 个月", "last {count} months"),
    "figures.by_month": ("按月、按科室", "by month and department"),
    "figures.group.department": ("科室", "Department"),
    "figures.group.region": ("区域", "Region"),
    "figures.trend": ("趋势", "Trend"),
    "figures.total": ("合计", "Total"),
    "figures.dossiers.history": ("质量档案建档率", "Enterprises with a kept dossier"),
    "figures.patrols.history": ("日常巡查按期完成率", "Patrols done by their due day"),
    "figures.handling.history": (
        "问题已作出处理决定的比例",
        "Problems with a handling decision recorded",
    ),
    "figures.dossiers.rule": (
        "每月月末：辖区内目录企业中已指定档案管理人且资料齐全的比例（按企业所在区域；"
        "资料是否齐全按当前档案判断）。",
        "At each month's end: catalogue enterprises in the jurisdiction with a named custodian"
        " and complete data (by the enterprise's region; data completeness as the dossier is"
        " today).",
    ),
    "figures.patrols.rule": (
        "当月到期的日常巡查中，在到期日当天或之前完成的比例（按分派科室；已取消的不计）。",
        "Of the patrols due in the month, those completed on or before their due day (by the"
        " department assigned; cancelled patrols not counted).",
    ),
    "figures.handling.rule": (
        "当月发现的问题（案件线索，及未能立案的违法行为）中，已作出处理决定（立案、不予立案或移送）"
        "的比例（按承办科室）。",
        "Of the problems found in the month (case clues, and violations no case could be opened"
        " for), those with a handling decision recorded: registered, dropped or referred (by the"
        " department handling them).",
    ),
    "notices.title": ("通知", "Notices"),
    "notices.unread": ("未读 {count} 条", "{count} unread"),
    "notices.inbox": ("我的通知", "My inbox"),
    "notices.sent": ("本局发出的通知", "Notices the bureau sent"),
    "notices.recipient": ("接收方", "Recipient"),
    "notices.mark_read": ("标为已读", "Mark read"),
    "complaint.title": ("投诉举报登记", "Complaint intake"),
    "complaint.channel": ("来源渠道", "Channel"),
    "complaint.received_on": ("收到日期", "Received on"),
    "complaint.subject": (
        "被投诉企业统一社会信用代码",
        "Credit code of the enterprise complained of",
    ),
    "complaint.description": ("投诉内容", "What the complaint says"),
    "complaint.confidential": (
        "举报人信息（保密，仅案件承办人可见，总局令第117号第四十八条）",
        "The informant (confidential: only the case's officer sees it, Order 117 art 48)",
    ),
    "complaint.informant": ("举报人", "Informant"),
    "complaint.informant_contact": ("联系方式", "Contact"),
    "complaint.submit": ("登记", "Record the complaint"),
    "complaint.list": ("投诉举报", "Complaints"),
    "timeline.title": (
        "记录（质量档案中各业务系统的记录）",
        "Record (every service's entries in the dossier)",
    ),
    "plan.title": ("日常巡查计划", "Patrol plan"),
    "plan.key": ("三个重点", "Key points"),
    "plan.key_enterprise": ("重点企业", "key enterprise"),
    "plan.key_product": ("重点产品", "key product"),
    "plan.key_region": ("重点地区", "key region"),
    "plan.interval": ("巡查间隔", "Interval"),
    "plan.months": ("{count} 个月", "{count} months"),
    "plan.last": ("上次巡查", "Last patrol"),
    "plan.next": ("下次到期", "Next due"),
    "plan.open": ("待办巡查", "Open patrols"),
    # columns
    "col.case": ("案件编号", "Case"),
    "col.inspection": ("检查", "Inspection"),
    "col.enterprise": ("企业", "Enterprise"),
    "col.kind": ("类型", "Kind"),
    "col.status": ("状态", "Status"),
    "col.due": ("期限", "Due"),
    "col.problem": ("问题", "Problem"),
    "col.officer": ("承办人", "Officer"),
    "col.inspector": ("检查员", "Inspector"),
    "col.department": ("部门", "Department"),
    "col.open": ("在办", "Open"),
    "col.when": ("时间", "When"),
    "col.source": ("来源", "Source"),
    "col.what": ("事项", "What"),
    "col.certificate": ("证书", "Certificate"),
    "col.product": ("产品类别", "Product category"),
    "col.body": ("认证机构", "Certification body"),
    "col.valid_until": ("有效期至", "Valid until"),
    # search
    "search.title": ("查询", "Search"),
    "search.hint": (
        "输入统一社会信用代码（18 位）、证书编号或案件编号；或按地区、分类、证书状态筛选企业。",
        "Enter a unified social credit code (18 characters), a certificate number or a case"
        " number; or filter enterprises by region, class and certificate status.",
    ),
    "search.query": ("代码或编号", "Code or number"),
    "search.region": ("地区", "Region"),
    "search.class": ("监管分类", "Supervision class"),
    "search.certificate_status": ("证书状态", "Certificate status"),
    "search.any": ("不限", "Any"),
    "search.submit": ("查询", "Search"),
    "search.results": ("查询结果", "Results"),
    "search.found": ("共 {total} 家", "{total} found"),
    # enterprise, dossier
    "enterprise.title": ("企业", "Enterprise"),
    "enterprise.class": ("监管分类", "Supervision class"),
    "enterprise.custodian": ("档案管理人", "Dossier custodian"),
    "enterprise.certificates": ("证书", "Certificates"),
    "enterprise.cases": ("案件", "Cases"),
    "enterprise.dossier": (
        "质量档案（各业务系统记录，按时间顺序）",
        "Quality dossier (every service's records, in time order)",
    ),
    # certificate
    "certificate.title": ("证书", "Certificate"),
    "certificate.holder": ("持证企业", "Holder"),
    "certificate.actions": ("状态变更", "Change of status"),
    "certificate.reason_code": ("依据", "Ground"),
    "certificate.reason": ("说明", "Explanation"),
    "certificate.suspend": ("暂停", "Suspend"),
    "certificate.reinstate": ("恢复", "Reinstate"),
    "certificate.cancel": ("注销", "Cancel"),
    "certificate.revoke": ("撤销", "Revoke"),
    "certificate.no_actions": (
        "您的角色不能变更证书状态。",
        "Your role may not change a certificate's status.",
    ),
    # inspection
    "inspection.cause": ("检查原因", "Cause"),
    "inspection.findings": ("检查结果", "Findings"),
    "inspection.violations": ("违法 {count} 项", "{count} violation(s)"),
    "inspection.minor": ("轻微问题 {count} 项", "{count} minor finding(s)"),
    "inspection.assign": ("分派检查员", "Assign an inspector"),
    "inspection.inspector_name": ("检查员姓名", "Inspector's name"),
    "inspection.inspector_id": ("检查员用户名", "Inspector's user id"),
    "inspection.start": ("开始检查", "Start the inspection"),
    "inspection.complete": ("提交巡查记录，完成检查", "Submit the record and complete"),
    "inspection.record": ("日常巡查记录表", "Daily patrol record"),
    "inspection.area": ("检查项目", "Area"),
    "inspection.result": ("结果", "Result"),
    "inspection.notes": ("情况记录", "Notes"),
    "inspection.product_seen": ("现场生产的产品", "Product seen on site"),
    "inspection.model": ("型号", "Model"),
    "inspection.inspectors": ("检查人员（逗号分隔）", "Inspectors (comma-separated)"),
    "inspection.enterprise_feedback": (
        "企业存在的问题、意见和建议",
        "The enterprise's problems, opinions and suggestions",
    ),
    "inspection.industry_problems": ("发现的行业性问题", "Industry-wide problems seen"),
    # case
    "case.title": ("案件", "Case"),
    "case.subject": ("当事人", "Party"),
    "case.opened_on": ("线索登记日", "Opened on"),
    "case.registered_on": ("立案日", "Registered on"),
    "case.decision_due_on": ("作出决定期限", "Decision due"),
    "case.register_decision_due_on": ("立案决定期限", "Registration decision due"),
    "case.report_due_on": ("报送认监委期限", "CNCA report due"),
    "case.penalty_amount": ("罚款金额（元）", "Fine (RMB)"),
    "case.next": ("下一步", "Next step"),
    "case.also": ("此阶段还可以", "Also possible now"),
    "case.no_actions": (
        "您的角色在本阶段没有可办理的事项。",
        "Your role has nothing to do on this case at this stage.",
    ),
    "case.done": ("已办理：{step}", "Done: {step}"),
    "case.procedure": ("办案流程", "Procedure"),
    # case steps
    "step.complaint": ("投诉已登记", "Complaint recorded"),
    "step.assign": ("分派承办人", "Assign an officer"),
    "step.register": ("立案", "Register the case"),
    "step.drop": ("不予立案", "Do not register"),
    "step.investigate": ("开始调查", "Start the investigation"),
    "step.warning": ("告诫", "Issue a warning"),
    "step.guidance": ("指导整改（轻微问题）", "Give guidance (minor problem)"),
    "step.rectification": ("责令整改", "Order rectification"),
    "step.notify": (
        "告知拟处罚（陈述、申辩、听证权利）",
        "Tell the party the intended penalty (statement, defence, hearing)",
    ),
    "step.penalty": ("作出处罚决定", "Decide the penalty"),
    "step.no_penalty": ("不予处罚", "Decide no penalty"),
    "step.execute": ("执行完毕", "Record execution"),
    "step.close": ("结案", "Close the case"),
    "step.cnca_report": ("报送认监委执法信息系统", "Report to the CNCA enforcement system"),
    # fields
    "field.department": ("部门", "Department"),
    "field.officer": ("承办人用户名", "Officer's user id"),
    "field.officer_name": ("承办人姓名", "Officer's name"),
    "field.reason": ("理由", "Reason"),
    "field.content": ("内容", "Content"),
    "field.requirement": ("整改要求", "Requirement"),
    "field.deadline": ("整改期限", "Deadline"),
    "field.intended": ("拟作出的处罚", "Intended penalty"),
    "field.basis_article": ("处罚依据（条款）", "Basis (article)"),
    "field.penalty_type": ("处罚种类", "Penalty type"),
    "field.amount": ("金额（元）", "Amount (RMB)"),
    "field.goods_value": (
        "货值金额（元，决定书载明的）",
        "Value of the goods (RMB, as the decision states)",
    ),
    "field.decision_document_number": ("决定书文号", "Decision document number"),
    "field.decision_document": ("电子处罚决定书（PDF）", "Electronic decision document (PDF)"),
    "field.reason_code": ("理由类别", "Ground"),
    "field.remarks": ("备注", "Remarks"),
    "field.case_description": ("案情描述", "Case description"),
    "field.receipt": ("回执号", "Receipt"),
    "submit": ("提交", "Submit"),
    # refusals
    "refusal.title": ("未能办理", "Not done"),
    "refusal.said": ("系统原文", "The service said"),
    "refusal.fields": ("相关字段", "Fields concerned"),
    "refusal.401": (
        "您的登录已失效，请重新登录。",
        "Your sign-in is no longer valid; please sign in again.",
    ),
    "refusal.403": ("您的角色无权办理此事项。", "Your role may not do this."),
    "refusal.403.forbidden": ("您的角色无权办理此事项。", "Your role may not do this."),
    "refusal.404": ("没有找到该记录。", "No such record."),
    "refusal.409": (
        "按规定，当前状态下不能办理此事项。",
        "The rules do not allow this in the current state.",
    ),
    "refusal.409.illegal_transition": (
        "按规定，当前状态下不能办理此事项。",
        "The rules do not allow this in the current state.",
    ),
    "refusal.409.concurrency": (
        "他人刚刚修改了该记录，请刷新后重试。",
        "Someone else changed this record just now; reload and try again.",
    ),
    "refusal.413": (
        "提交的内容过大，请精简后重试。",
        "What was sent is too large to record; shorten it and try again.",
    ),
    "refusal.415": (
        "文件类型不符合要求（只收 PDF、JPEG、PNG），或与所选文件的类型不符。",
        "The file is not a PDF, JPEG or PNG, or not the type it claims to be.",
    ),
    "refusal.422": ("填写的内容不符合要求。", "Some of what was entered is not acceptable."),
    "refusal.503": (
        "业务系统暂时无法访问，请稍后再试。",
        "A service cannot be reached right now; try again shortly.",
    ),
    "refusal.503.seal_key": (
        "系统缺少解密密钥，请联系管理员。",
        "The service lacks a sealing key; tell the administrator.",
    ),
    "refusal.other": ("办理失败。", "This could not be done."),
}


# The rule a service refused, by its stable code (docs/refusals.md): shown in place of the
# generic message of the status, with the service's own sentence beneath.
PROBLEMS: dict[str, tuple[str, str]] = {
    # the HTTP layer
    "access.unauthenticated": CATALOGUE["refusal.401"],
    "access.forbidden": CATALOGUE["refusal.403"],
    "aggregate.concurrent_change": CATALOGUE["refusal.409.concurrency"],
    "request.event_too_large": (
        "提交的内容过大，无法记录，请精简后重试。",
        "What was sent is too large to record; shorten it and try again.",
    ),
    "request.invalid": CATALOGUE["refusal.422"],
    "request.method_not_allowed": (
        "该地址不支持此操作。",
        "This address does not take this kind of request.",
    ),
    "request.too_large": (
        "提交的内容过大，请精简后重试。",
        "What was sent is too large; shorten it and try again.",
    ),
    "request.unreadable": (
        "提交的内容无法读取（编码或格式有误）。",
        "What was sent could not be read (its encoding or format is wrong).",
    ),
    "request.unsupported_media_type": CATALOGUE["refusal.415"],
    "resource.not_found": CATALOGUE["refusal.404"],
    "rule.unspecified": CATALOGUE["refusal.409"],
    "service.seal_key_missing": CATALOGUE["refusal.503.seal_key"],
    "service.unavailable": CATALOGUE["refusal.503"],
    "event.out_of_order": (
        "记录的事件顺序有误，请联系管理员。",
        "The record's events are out of order; tell the administrator.",
    ),
    "sample.out_of_turn": ("样例序号不连续。", "The sample is out of turn."),
    "access.not_assignee": (
        "该事项已指派给他人，只有承办人或科室负责人可以办理。",
        "This work is assigned to someone else: only they or a section head may act on it.",
    ),
    "inbox.not_yours": ("不能查看他人的通知收件箱。", "You may not open another person's inbox."),
    "document.empty": ("上传的文件是空的。", "The uploaded file is empty."),
    "document.type_refused": CATALOGUE["refusal.415"],
    "feed.unsupported_media_type": (
        "证书数据只收 CSV 或 JSON 格式。",
        "The certificate feed takes CSV or JSON only.",
    ),
    "feed.unreadable": (
        "证书数据无法读取（格式有误）。",
        "The certificate feed could not be read.",
    ),
    "patrol_plan.period_reversed": (
        "统计期的结束日期早于开始日期。",
        "The period ends before it starts.",
    ),
    # certification bodies
    "body.already_registered": (
        "该认证机构已登记。",
        "This certification body is already registered.",
    ),
    "body.not_registered": ("该认证机构尚未登记。", "This certification body is not registered."),
    "body.finding_in_future": ("发现日期不能晚于今天。", "A finding cannot be dated after today."),
    "body.period_not_begun": ("该统计期尚未开始。", "That period has not begun."),
    # enterprises
    "enterprise.already_registered": ("该企业已登记。", "This enterprise is already registered."),
    "enterprise.not_registered": ("该企业尚未登记。", "This enterprise is not registered."),
    "enterprise.date_in_future": (
        "填写的日期不能晚于今天。",
        "A date entered cannot be after today.",
    ),
    # certificates
    "certificate.already_registered": ("该证书已登记。", "This certificate is already registered."),
    "certificate.not_registered": ("该证书尚未登记。", "This certificate is not registered."),
    "certificate.unknown_reference": (
        "持证企业或认证机构尚未登记，请核对。",
        "The holder or the certification body is not registered; check it.",
    ),
    "certificate.status_not_allowed": (
        "证书当前状态下不能办理此事项。",
        "The certificate's present status does not allow this.",
    ),
    "certificate.issued_in_future": (
        "发证日期不能晚于今天。",
        "A certificate cannot be issued after today.",
    ),
    "certificate.validity_over_five_years": (
        "证书有效期须在发证之日起5年以内（第二十四条）。",
        "A certificate is valid for at most five years from issue (art 24).",
    ),
    "certificate.registered_expired": (
        "该证书在登记前已过期。",
        "The certificate expired before it was registered.",
    ),
    "certificate.model_twice": ("同一型号填写了两次。", "A model is listed twice."),
    "certificate.not_yet_expired": (
        "证书尚在有效期内，不能按过期办理。",
        "The certificate is still valid; it cannot be treated as expired yet.",
    ),
    "certificate.change_in_future": (
        "变更生效日期不能晚于今天。",
        "A change cannot take effect after today.",
    ),
    "certificate.change_before_last_change": (
        "变更生效日期不能早于上一次变更。",
        "A change cannot take effect before the certificate's last change.",
    ),
    "certificate.expired_cancel_only_after_expiry": (
        "已过期的证书只能按第二十六条第二款注销。",
        "An expired certificate can only be cancelled under art 26(2).",
    ),
    "certificate.validity_ended": (
        "证书有效期已届满，应办理过期。",
        "The certificate's validity has ended; expire it instead.",
    ),
    "certificate.revocation_needs_suspension": (
        "按第二十八条第三项撤销，证书须处于暂停状态。",
        "Revocation under art 28(3) needs a suspended certificate.",
    ),
    "certificate.renewal_window_not_open": (
        "尚未到换证期（到期前90日起，第二十四条）。",
        "The renewal window (90 days before expiry, art 24) is not open yet.",
    ),
    "certificate.scope_change_empty": (
        "范围变更未列出要增加或删除的型号。",
        "A scope change names no model to add or remove.",
    ),
    "certificate.scope_model_already_covered": (
        "要增加的型号已在证书范围内（或填写了两次）。",
        "A model to add is already covered (or listed twice).",
    ),
    "certificate.scope_model_not_covered": (
        "要删除的型号不在证书范围内。",
        "A model to remove is not covered by the certificate.",
    ),
    "certificate.scope_would_be_empty": (
        "不能删除全部型号，应注销证书（第二十六条第三款）。",
        "Every model cannot be removed; cancel the certificate instead (art 26(3)).",
    ),
    # inspections and campaigns
    "inspection.already_scheduled": ("该检查已安排。", "This inspection is already scheduled."),
    "inspection.not_scheduled": ("该检查尚未安排。", "This inspection is not scheduled."),
    "inspection.status_not_allowed": (
        "检查当前状态下不能办理此事项。",
        "The inspection's present status does not allow this.",
    ),
    "inspection.due_in_past": (
        "检查期限不能早于今天。",
        "An inspection cannot be due before today.",
    ),
    "inspection.certification_body_only_for_joint_verification": (
        "只有联合核查须填写认证机构，且联合核查必须填写。",
        "A joint verification names its certification body; no other kind does.",
    ),
    "inspection.case_only_for_rectification_check": (
        "只有整改复查须填写案件编号，且整改复查必须填写。",
        "A rectification check names its case; no other kind does.",
    ),
    "inspection.area_unanswered": (
        "检查记录中有检查项目未填写。",
        "An area of the inspection record is unanswered.",
    ),
    "inspection.area_answered_twice": (
        "检查记录中同一检查项目填写了两次。",
        "An area of the inspection record is answered twice.",
    ),
    "inspection.inspector_not_in_record": (
        "承办检查员不在检查记录的检查人员中。",
        "The assigned inspector is not among the record's inspectors.",
    ),
    "campaign.already_launched": ("该专项行动已启动。", "This campaign is already launched."),
    "campaign.not_launched": ("该专项行动尚未启动。", "This campaign is not launched."),
    "campaign.deadline_past": ("专项行动的期限已过。", "The campaign's deadline is past."),
    "campaign.deadline_not_passed": (
        "专项行动的期限尚未届满。",
        "The campaign's deadline has not passed.",
    ),
    "campaign.step_already_done": (
        "该企业已完成这一步。",
        "The enterprise has already done this step.",
    ),
    "campaign.enterprise_not_surveyed": (
        "该企业尚未摸底。",
        "The enterprise has not been surveyed.",
    ),
    "campaign.enterprise_already_surveyed": (
        "该企业已摸底。",
        "The enterprise is already surveyed.",
    ),
    "campaign.category_outside": (
        "产品类别不在本专项行动范围内。",
        "A product category is not in the campaign.",
    ),
    "campaign.region_outside": (
        "该企业不在专项行动的地区内。",
        "The enterprise is outside the campaign's regions.",
    ),
    "trace.already_recorded": ("该追溯已登记。", "This trace is already recorded."),
    "trace.jurisdiction_needed": (
        "无法从信用代码得出生产企业所在地，请填写所在地区划代码。",
        "The maker's division is not in its code; give manufacturer_jurisdiction.",
    ),
    # cases
    "case.already_open": ("该案件已立案或已受理。", "This case is already open."),
    "case.not_open": ("该案件不存在或尚未受理。", "This case is not open."),
    "case.step_not_allowed": (
        "案件当前阶段不能办理此事项。",
        "The case's present stage does not allow this step.",
    ),
    "case.number_wrong_year": ("案件编号的年份应为今年。", "The case number must carry this year."),
    "case.clue_found_in_future": (
        "线索发现日期不能晚于今天。",
        "A clue cannot be found after today.",
    ),
    "case.already_assigned": (
        "该案件已指派给此人。",
        "The case is already assigned to this officer.",
    ),
    "case.reassignment_needs_reason": ("改派案件须说明理由。", "A reassignment needs a reason."),
    "case.not_assigned": (
        "案件尚未指派承办人，请先指派。",
        "The case has no officer; assign it first.",
    ),
    "case.act_after_clue_found": (
        "违法行为日期不能晚于线索发现日期。",
        "The act cannot be dated after the clue was found.",
    ),
    "case.limitation_period_passed": (
        "已超过行政处罚追责时效（行政处罚法第三十六条）。",
        "The limitation period has passed (Administrative Penalty Law art 36).",
    ),
    "case.clock_day_in_future": (
        "办案期限的日期不能晚于今天。",
        "The clock cannot be changed on a day after today.",
    ),
    "case.clock_already_stopped": ("办案期限已中止。", "The handling clock is already stopped."),
    "case.clock_before_registration": (
        "办案期限自立案之日起计算，中止日期不能早于立案。",
        "The clock runs from registration; it cannot stop before it.",
    ),
    "case.clock_running": (
        "办案期限未中止，无需恢复。",
        "The handling clock is running; nothing to restart.",
    ),
    "case.clock_restart_before_stop": (
        "恢复日期不能早于中止日期。",
        "The clock cannot restart before the day it stopped.",
    ),
    "case.clock_stopped": (
        "办案期限已中止，请先恢复计算再作决定。",
        "The handling clock is stopped; restart it before deciding.",
    ),
    "case.no_decision_deadline": (
        "该案件没有可延长的作出决定期限。",
        "The case has no decision deadline to extend.",
    ),
    "case.extension_period_fixed": (
        "负责人批准延长的期限为30日；只有集体讨论决定可另定期限。",
        "The head's extension is 30 days; only a collective decision sets its own period.",
    ),
    "case.extension_needs_collective_decision": (
        "负责人只能批准延长一次；再次延长须经集体讨论决定。",
        "The head extends once; a further extension needs the heads' collective decision.",
    ),
    "case.collective_extension_too_early": (
        "集体讨论延长须在负责人批准延长30日之后。",
        "A collective extension comes only after the head's 30-day extension.",
    ),
    "case.collective_extension_needs_period": (
        "集体讨论决定须写明新的期限（晚于现有期限）。",
        "A collective decision sets a new last day after the present one.",
    ),
    "case.no_rectification_pending": (
        "没有待复查的责令整改。",
        "No rectification order awaits verification.",
    ),
    "case.rectification_pending": (
        "责令整改尚待复查。",
        "A rectification order still awaits verification.",
    ),
    "case.rectification_deadline_not_future": (
        "整改期限须晚于今天。",
        "A rectification deadline must be after today.",
    ),
    "case.penalty_required_after_failed_rectification": (
        "逾期未改正，应作出处罚决定。",
        "The rectification failed; decide a penalty.",
    ),
    "case.penalty_already_decided": (
        "已作出同类处罚决定。",
        "A penalty of this type was already decided.",
    ),
    "case.decision_number_taken": (
        "处罚决定书文号已被其他案件使用，文号在全局唯一。",
        "The decision number is another case's; a decision number is unique in the bureau.",
    ),
    "case.decision_document_missing": (
        "处罚决定书尚未上传，请先上传文件。",
        "The decision document is not uploaded; upload it first.",
    ),
    "case.no_penalty_to_execute": (
        "未作出处罚决定，无可执行事项。",
        "No penalty was decided; nothing to execute.",
    ),
    "case.penalty_not_executed": (
        "处罚决定尚未执行完毕。",
        "The penalty decision has not been executed.",
    ),
    "case.deadline_not_missed": ("该期限尚未逾期。", "That deadline is not missed."),
    "case.report_needs_closed_penalty_case": (
        "只有已结案的处罚案件才报送认监委。",
        "Only a closed penalty case is reported to the CNCA.",
    ),
    "case.already_reported": ("该案件已报送认监委。", "The case was already reported to the CNCA."),
    "complaint.already_received": ("该投诉举报已受理。", "This complaint was already received."),
    "complaint.received_in_future": (
        "受理日期不能晚于今天。",
        "A complaint cannot be received after today.",
    ),
    "violation.case_already_opened": ("该违法线索已立案。", "This violation already has its case."),
    # penalties
    "penalty.unknown_article": (
        "没有该处罚依据条款，或该日不在施行期内。",
        "No such penalty article in force on that day.",
    ),
    "penalty.article_does_not_fit_problem": (
        "该条款不适用于本案的违法情形。",
        "This article does not punish the case's problem.",
    ),
    "penalty.needs_missed_rectification": (
        "该条款只处罚责令限期改正而逾期未改正的情形，请先责令整改并复查。",
        "This article fines only a failure to correct by the deadline; order and verify first.",
    ),
    "penalty.type_not_allowed": (
        "该条款不允许这种处罚种类。",
        "The article does not allow this penalty type.",
    ),
    "penalty.fine_out_of_range": (
        "罚款金额超出该条款规定的幅度。",
        "The fine is outside the article's range.",
    ),
    "penalty.order_to_correct_has_amount": (
        "责令改正不应填写金额。",
        "An order to correct carries no amount.",
    ),
    "penalty.confiscation_needs_amount": (
        "没收违法所得须填写金额。",
        "Confiscation needs the amount of illegal gains.",
    ),
    # notifications
    "notification.not_queued": ("该通知不存在。", "This notification was never queued."),
    "notification.status_not_allowed": (
        "通知当前状态下不能办理此事项。",
        "The notification's present status does not allow this.",
    ),
    "notification.unknown_command": ("不支持的通知操作。", "No such notification command."),
    "recipient.not_listed": ("收件人不在通讯录中。", "The recipient is not in the directory."),
}

CATALOGUE.update({f"problem.{code}": words for code, words in PROBLEMS.items()})


def translate(key: str, language: str, **values: object) -> str:
    """The message ``key`` in ``language`` (the key itself when the catalogue lacks it)."""
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    text = pair[1] if language == "en" else pair[0]
    return text.format(**values) if values else text


def problem_key(code: str) -> str:
    """The catalogue key of a refusal's ``code`` (Problem Details, docs/refusals.md)."""
    return f"problem.{code}"


def refusal_key(status: int, reason: str) -> str:
    """The catalogue key of a refusal: the most specific one the catalogue has (the rule's
    code, then the status with the older ``kind``/``reason``, then the status)."""
    for key in (problem_key(reason), f"refusal.{status}.{reason}", f"refusal.{status}"):
        if key in CATALOGUE:
            return key
    return "refusal.other"
