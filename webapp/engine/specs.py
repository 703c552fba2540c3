"""Workflow (de)serialization that shares the process specs instead of rebuilding them each time.

SpiffWorkflow stores a workflow's specs (the parsed diagram and the diagrams it calls) inside
every serialized instance: about half of an entrustment case's 47 KB, and more than half the
time of `deserialize_json` goes into turning that half back into spec objects, identical for
every case of the same version. The stored JSON is left exactly as SpiffWorkflow writes it
(self-contained, readable without Tonghu); only the work is cached:

- loading: the spec part of the JSON is hashed and the spec objects restored once per
  distinct content, then shared by every workflow with that content (as `Engine.start`
  already shares the parser's specs: SpiffWorkflow keeps no instance state in specs);
- saving: the dictionary form of each spec object is computed once and reused.
"""
import hashlib
from collections import OrderedDict
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter

from .codec import canonical

# Distinct spec contents kept (a few per deployed version); the oldest is dropped beyond it.
CACHE_SIZE = 128


class SharedSpecConverter(BpmnWorkflowConverter):
    """`BpmnWorkflowConverter` with the specs restored once per content and converted once per object."""

    def __init__(self, target_class, registry):
        super().__init__(target_class, registry)
        self._specs: OrderedDict[str, tuple] = OrderedDict()

    # -- saving ------------------------------------------------------------------------------
    def _spec_dict(self, spec) -> dict:
        """The spec's dictionary form, computed on first use and kept on the (immutable) spec."""
        cached = getattr(spec, "_tonghu_dict", None)
        if cached is None:
            encoding, self.registry._encoder_mode = self.registry._encoder_mode, False
            try:
                cached = self.registry.convert(spec)
            finally:
                self.registry._encoder_mode = encoding
            spec._tonghu_dict = cached
        return cached

    def to_dict(self, workflow):
        dct = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["spec"] = self._spec_dict(workflow.spec)
        dct["subprocess_specs"] = {name: self._spec_dict(spec) for name, spec in workflow.subprocess_specs.items()}
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    # -- loading -----------------------------------------------------------------------------
    def _shared_specs(self, spec_dct: dict, subprocess_dct: dict):
        key = hashlib.sha256(canonical([spec_dct, subprocess_dct])).hexdigest()
        found = self._specs.get(key)
        if found is None:
            found = (self.registry.restore(spec_dct), self.mapping_from_dict(subprocess_dct))
            self._specs[key] = found
            if len(self._specs) > CACHE_SIZE:
                self._specs.popitem(last=False)
        else:
            self._specs.move_to_end(key)
        return found

    def from_dict(self, dct):
        spec, subprocess_specs = self._shared_specs(dct.pop("spec"), dct.pop("subprocess_specs", {}))
        # The mapping is the workflow's own (SpiffWorkflow may add to it); the specs are shared.
        workflow = self.target_class(spec, dict(subprocess_specs), deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow
