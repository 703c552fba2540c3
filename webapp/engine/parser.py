"""SpiffWorkflow's parser, with what Tonghu adds to it.

SpiffWorkflow 3.2 reads a start event's message, signal, timer or condition, not an error or an
escalation: the start event of an event subprocess triggered by an error or an escalation was
read as a plain start, so the subprocess ran at once, as the case opened. Reading the two here
makes such a subprocess wait for its error or escalation, as the diagram says (SpiffWorkflow's
own event manager already starts event subprocesses whose start event catches what is thrown).

SpiffWorkflow 3.2 also runs every event subprocess as non-interrupting. The start event of an
interrupting one (`isInterrupting` unset or "true") is parsed as `InterruptingStartEvent`, a
class of its own so that stored workflows keep it; `interrupts.py` does the interrupting.
"""
from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.parser.event_parsers import (
    CONDITIONAL_EVENT_XPATH, ERROR_EVENT_XPATH, ESCALATION_EVENT_XPATH, MESSAGE_EVENT_XPATH, SIGNAL_EVENT_XPATH,
    TIMER_EVENT_XPATH)
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.event_parsers import SpiffStartEventParser
from SpiffWorkflow.bpmn.specs.defaults import StartEvent


class InterruptingStartEvent(StartEvent):
    """The start event of an interrupting event subprocess."""


class StartEventParser(SpiffStartEventParser):
    def create_task(self):
        triggers = [MESSAGE_EVENT_XPATH, SIGNAL_EVENT_XPATH, TIMER_EVENT_XPATH, CONDITIONAL_EVENT_XPATH]
        parent = self.node.getparent()
        if parent is not None and parent.get("triggeredByEvent") == "true":
            triggers += [ERROR_EVENT_XPATH, ESCALATION_EVENT_XPATH]  # only an event subprocess starts on these
            if self.node.get("isInterrupting", "true").strip().lower() != "false":
                self.spec_class = InterruptingStartEvent
        task = self._create_task(self.get_event_definition(triggers))
        self.spec.start.connect(task)
        return task


class TonghuParser(SpiffBpmnParser):
    OVERRIDE_PARSER_CLASSES = {**SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
                               full_tag("startEvent"): (StartEventParser, StartEvent)}
