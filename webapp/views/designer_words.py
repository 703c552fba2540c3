"""The words of the designer's browser code (the modeler, its panel, bpmn-js), in the user's language.

Sent to the page as JSON; each is a literal `_()` so the catalogue extraction finds it.
"""
from flask_babel import gettext as _


def modeler_messages() -> dict[str, str]:
    keys = {
        "Routing": _("Routing"), "Form and deadline": _("Form and deadline"), "Handler": _("Handler"),
        "Condition": _("Condition"), "Default flow": _("Default flow"), "Scripts": _("Scripts"),
        "Unknown": _("Unknown"), "— choose —": _("— choose —"), "— no form —": _("— no form —"),
        "— none —": _("— none —"), "Department": _("Department"),
        "— none: the office acts —": _("— none: the office acts —"),
        "(no form offers units of this lane's department in this field)":
            _("(no form offers units of this lane's department in this field)"),
        "Unit chosen in the case": _("Unit chosen in the case"),
        "Place chosen in the case": _("Place chosen in the case"),
        "— none: the case's place —": _("— none: the case's place —"),
        "(no form of this diagram chooses a place this fine in this field)":
            _("(no form of this diagram chooses a place this fine in this field)"),
        "The lane's tasks go to the office of the place chosen in this form field, not of the case's place.":
            _("The lane's tasks go to the office of the place chosen in this form field, not of the case's place."),
        "The lane's tasks go to the unit chosen in this form field, not to the office.":
            _("The lane's tasks go to the unit chosen in this form field, not to the office."),
        "Level": _("Level"), "Form": _("Form"),
        "Due in": _("Due in"), "Result variable": _("Result variable"), "Parameter": _("Parameter"),
        "The department whose office acts on this lane's tasks.": _("The department whose office acts on this lane's tasks."),
        "The level at which the office acts, counted from the child's place.": _("The level at which the office acts, counted from the child's place."),
        "ISO 8601 duration, e.g. P7D (7 days), PT24H (24 hours), P1M (a month); empty for none.": _("ISO 8601 duration, e.g. P7D (7 days), PT24H (24 hours), P1M (a month); empty for none."),
        "Not an ISO 8601 duration": _("Not an ISO 8601 duration"),
        "The task-data name the handler's answer is stored under.": _("The task-data name the handler's answer is stored under."),
        "A Python expression, e.g. 'text' in quotes for a string.": _("A Python expression, e.g. 'text' in quotes for a string."),
        "A Python expression over form fields, e.g. court_ruling == 'revoked'.": _("A Python expression over form fields, e.g. court_ruling == 'revoked'."),
        "Taken when no condition holds.": _("Taken when no condition holds."),
        "Script before the task": _("Script before the task"), "Script after the task": _("Script after the task"),
        "called": _("called"), "draft": _("draft"), "Unsaved changes.": _("Unsaved changes."),
        "A saved draft is open.": _("A saved draft is open."), "The deployed version is open.": _("The deployed version is open."),
        "The diagram cannot be shown": _("The diagram cannot be shown"), "Nothing to save.": _("Nothing to save."),
        "Saving…": _("Saving…"), "Draft saved; it has problems to fix before deploy.": _("Draft saved; it has problems to fix before deploy."),
        "Draft saved.": _("Draft saved."), "Validating…": _("Validating…"), "Validation found problems.": _("Validation found problems."),
        "Validation passed.": _("Validation passed."), "Deploying…": _("Deploying…"),
        "Validation passed, with notes to read.": _("Validation passed, with notes to read."),
        "Draft saved, with notes to read.": _("Draft saved, with notes to read."),
        "Warning": _("Warning"), "Problem": _("Problem"), "Problems": _("Problems"),
        "Problems and notes": _("Problems and notes"),
        "Not deployed: fix the problems first.": _("Not deployed: fix the problems first."), "version": _("version"),
        "Deployed": _("Deployed"), "Nothing changed; no new version.": _("Nothing changed; no new version."),
        "There is no draft to discard.": _("There is no draft to discard."),
        "The draft is discarded; the deployed version is open.": _("The draft is discarded; the deployed version is open."),
        "The file is not a BPMN diagram": _("The file is not a BPMN diagram"), "Imported": _("Imported"),
        "Deploy these diagrams as a new version? New cases start on it; running cases stay on their version.":
            _("Deploy these diagrams as a new version? New cases start on it; running cases stay on their version."),
        "Not deployed.": _("Not deployed."), "based on version %(n)s": _("based on version %(n)s"),
        "This procedure calls no decision table.": _("This procedure calls no decision table."),
        "The table cannot be shown": _("The table cannot be shown"),
        "%(n)s scenarios fail on this draft (replay %(run)s). Deploy it anyway? Your confirmation is recorded in the audit log.":
            _("%(n)s scenarios fail on this draft (replay %(run)s). Deploy it anyway? Your confirmation is recorded in the audit log."),
        "%(n)s scenarios fail on this draft.": _("%(n)s scenarios fail on this draft."), "variant": _("variant"),
    }
    return keys


def bpmn_messages() -> dict[str, str]:
    """bpmn-js's own words that designers meet most (palette, context pad, panel headings)."""
    return {
        "Activate hand tool": _("Activate hand tool"), "Activate lasso tool": _("Activate lasso tool"),
        "Activate create/remove space tool": _("Activate create/remove space tool"),
        "Activate global connect tool": _("Activate global connect tool"),
        "Create start event": _("Create start event"), "Create intermediate/boundary event": _("Create intermediate/boundary event"),
        "Create end event": _("Create end event"), "Create gateway": _("Create gateway"), "Create task": _("Create task"),
        "Create expanded sub-process": _("Create expanded sub-process"), "Create pool/participant": _("Create pool/participant"),
        "Create data object reference": _("Create data object reference"), "Create data store reference": _("Create data store reference"),
        "Create group": _("Create group"), "Append task": _("Append task"), "Append end event": _("Append end event"),
        "Append gateway": _("Append gateway"), "Append intermediate/boundary event": _("Append intermediate/boundary event"),
        "Change element": _("Change element"), "Delete": _("Delete"), "Connect to other element": _("Connect to other element"),
        "Add lane above": _("Add lane above"), "Add lane below": _("Add lane below"),
        "Divide into two lanes": _("Divide into two lanes"), "Divide into three lanes": _("Divide into three lanes"),
        "Add text annotation": _("Add text annotation"), "General": _("General"), "Name": _("Element name"), "ID": _("ID"),
        "Documentation": _("Documentation"), "Element documentation": _("Element documentation"),
        "Process documentation": _("Process documentation"), "Multi-instance": _("Multi-instance"),
        "Select an element to edit its properties.": _("Select an element to edit its properties."),
        "Multiple elements are selected. Select a single one to edit its properties.": _("Multiple elements are selected. Select a single one to edit its properties."),
        "Multiple elements are selected. Select a single element to edit its properties.": _("Multiple elements are selected. Select a single one to edit its properties."),
        **element_types(), **_panel_words(),
    }


def element_types() -> dict[str, str]:
    """Element kinds as the properties panel's header and the replace menu name them: in Chinese."""
    return {
        "Process": _("Process"), "Participant": _("Pool"), "Lane": _("Lane"), "Task": _("Task"),
        "User Task": _("User task"), "Service Task": _("Service task"), "Script Task": _("Script task"),
        "Manual Task": _("Manual task"), "Business Rule Task": _("Business rule task"), "Send Task": _("Send task"),
        "Receive Task": _("Receive task"), "Call Activity": _("Call activity"),
        "Collapsed Sub Process": _("Sub-process"), "Expanded Sub Process": _("Sub-process"),
        "Event Sub Process": _("Event sub-process"), "Start Event": _("Start event"), "End Event": _("End event"),
        "Timer Start Event": _("Timer start event"), "Message Start Event": _("Message start event"),
        "Signal Start Event": _("Signal start event"), "Error End Event": _("Error end event"),
        "Terminate End Event": _("Terminate end event"), "Message End Event": _("Message end event"),
        "Intermediate Throw Event": _("Intermediate event"), "Intermediate Catch Event": _("Intermediate event"),
        "Timer Intermediate Catch Event": _("Timer event"), "Message Intermediate Catch Event": _("Message event"),
        "Signal Intermediate Catch Event": _("Signal event"), "Boundary Event": _("Boundary event"),
        "Timer Boundary Event": _("Timer boundary event"), "Timer Boundary Event (Non Interrupting)": _("Non-interrupting timer boundary event"),
        "Error Boundary Event": _("Error boundary event"), "Message Boundary Event": _("Message boundary event"),
        "Message Boundary Event (Non Interrupting)": _("Non-interrupting message boundary event"),
        "Signal Boundary Event": _("Signal boundary event"), "Exclusive Gateway": _("Exclusive gateway"),
        "Parallel Gateway": _("Parallel gateway"), "Inclusive Gateway": _("Inclusive gateway"),
        "Event Based Gateway": _("Event-based gateway"), "Sequence Flow": _("Sequence flow"),
        "Conditional Flow": _("Conditional flow"), "Default Flow": _("Default flow"),
        "Text Annotation": _("Text annotation"), "Data Object Reference": _("Data object"),
        "Data Store Reference": _("Data store"), "Group": _("Group"),
        # the replace menu's spelling ("User task") beside the panel header's ("User Task")
        "User task": _("User task"), "Service task": _("Service task"), "Script task": _("Script task"),
        "Business rule task": _("Business rule task"), "Manual task": _("Manual task"), "Send task": _("Send task"),
        "Receive task": _("Receive task"), "Call activity": _("Call activity"), "Start event": _("Start event"),
        "End event": _("End event"), "Terminate end event": _("Terminate end event"),
        "Intermediate throw event": _("Intermediate throw event"),
        "Timer intermediate catch event": _("Timer intermediate catch event"),
        "Timer boundary event": _("Timer boundary event"), "Timer start event": _("Timer start event"),
        "Message intermediate catch event": _("Message intermediate catch event"),
        "Message start event": _("Message start event"), "Message end event": _("Message end event"),
        "Signal intermediate catch event": _("Signal intermediate catch event"),
        "Error boundary event": _("Error boundary event"), "Error end event": _("Error end event"),
        "Exclusive gateway": _("Exclusive gateway"), "Parallel gateway": _("Parallel gateway"),
        "Inclusive gateway": _("Inclusive gateway"), "Event-based gateway": _("Event-based gateway"),
        "Sub-process (collapsed)": _("Sub-process (collapsed)"),
        "Sub-process (expanded)": _("Sub-process (expanded)"), "Sequence flow": _("Sequence flow"),
        "Default flow": _("Default flow"), "Conditional flow": _("Conditional flow"),
    }


def _panel_words() -> dict[str, str]:
    """The properties panel's own labels for the groups designers meet."""
    return {
        "Process name": _("Process name"), "Process ID": _("Process id"), "Executable": _("Executable"),
        "Timer": _("Timer"), "Type": _("Type"), "Value": _("Value"), "Date": _("Date"), "Duration": _("Duration"),
        "Cycle": _("Cycle"), "Condition": _("Condition"), "Loop cardinality": _("Loop cardinality"),
        "Completion condition": _("Completion condition"), "Message": _("Message"), "Signal": _("Signal"),
        "Error": _("Error"), "<none>": _("<none>"), "Create new ...": _("Create new ..."),
        "Global message reference": _("Global message reference"), "Global signal reference": _("Global signal reference"),
        "Global error reference": _("Global error reference"), "Code": _("Code"), "Version tag": _("Version tag"),
    }


def dmn_messages() -> dict[str, str]:
    """dmn-js's words in the decision table (context menu, hit policy, cell editors)."""
    return {
        "Add rule": _("Add rule"), "Add rule above": _("Add rule above"), "Add rule below": _("Add rule below"),
        "Copy rule": _("Copy rule"), "Cut rule": _("Cut rule"), "Remove rule": _("Remove rule"),
        "Add input": _("Add input"), "Add output": _("Add output"), "Add input column left": _("Add input column left"),
        "Add input column right": _("Add input column right"), "Add output column left": _("Add output column left"),
        "Add output column right": _("Add output column right"), "Remove input": _("Remove input"),
        "Remove output": _("Remove output"), "Input": _("Input"), "Output": _("Output"),
        "Annotations": _("Annotations"), "Annotation": _("Annotation"), "Hit policy": _("Hit policy"),
        "Hit policy:": _("Hit policy:"), "Decision name": _("Decision name"), "Input label": _("Input label"),
        "Input expression": _("Input expression"), "Output label": _("Output label"), "Output name": _("Output name"),
        "Expression": _("Expression"), "Expression language": _("Expression language"), "Edit": _("Edit"),
        "Edit input": _("Edit input"), "Edit output": _("Edit output"), "Edit string": _("Edit string"),
        "Edit number": _("Edit number"), "Input type": _("Input type"), "Output type": _("Output type"),
        "Type": _("Type"), "Rule": _("Rule"), "Enter expression": _("Enter expression"), "Yes": _("Yes"), "No": _("No"),
        "Add cell description": _("Add cell description"), "Remove cell description": _("Remove cell description"),
        "Match one": _("Match one"), "Match none": _("Match none"), "Equals": _("Equals"),
        "Comparison": _("Comparison"), "Range": _("Range"), "Boolean value": _("Boolean value"),
        "When": _("Rule: when"), "And": _("And"), "Then": _("Then"), "View DRD": _("View DRD"), "View drd": _("View DRD"), "Open decision table": _("Open decision table"),
    }
