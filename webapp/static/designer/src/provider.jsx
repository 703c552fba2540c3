// Tonghu's groups in the properties panel: lane routing, user-task form and deadline,
// service-task handler and parameters, conditions and default flows, scripts.
// Every choice comes from the catalog the server sends (departments, levels, forms, handlers).
import { SelectEntry, TextAreaEntry, TextFieldEntry, isSelectEntryEdited, isTextAreaEntryEdited,
  isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

import { condition, operator, operatorParameters, script, setCondition, setOperator, setOperatorAttr,
  setParameter, setScript, setSpiffProperty, spiffProperty } from './model';

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export default function TonghuPropertiesProvider(propertiesPanel, injector, config) {
  const catalog = config.catalog;
  const t = (key) => (config.messages && config.messages[key]) || key;
  this.getGroups = function (element) {
    return function (groups) {
      const bo = getBusinessObject(element);
      if (is(element, 'bpmn:Lane')) {
        groups.push(group('tonghu-routing', t('Routing'), [
          entry('tonghu-department', DepartmentEntry, isSelectEntryEdited),
          entry('tonghu-level', LevelEntry, isSelectEntryEdited),
          entry('tonghu-unit-from', UnitFromEntry, isSelectEntryEdited),
          entry('tonghu-region-from', RegionFromEntry, isSelectEntryEdited),
        ]));
      }
      if (is(element, 'bpmn:UserTask') || is(element, 'bpmn:StartEvent') || is(element, 'bpmn:ManualTask')) {
        const entries = [entry('tonghu-form', FormEntry, isSelectEntryEdited)];
        if (!is(element, 'bpmn:StartEvent')) entries.push(entry('tonghu-due', DueEntry, isTextFieldEntryEdited));
        groups.push(group('tonghu-form', t('Form and deadline'), entries));
      }
      if (is(element, 'bpmn:ServiceTask')) {
        const entries = [
          entry('tonghu-handler', HandlerEntry, isSelectEntryEdited),
          entry('tonghu-result', ResultVariableEntry, isTextFieldEntryEdited),
        ];
        const op = operator(element);
        const handler = op && catalog.handlers.find((h) => h.name === op.id);
        (handler ? handler.parameters : []).forEach((param) => {
          entries.push({ id: `tonghu-param-${param.name}`, component: ParameterEntry, isEdited: isTextFieldEntryEdited, param });
        });
        groups.push(group('tonghu-handler', t('Handler'), entries));
      }
      if (is(element, 'bpmn:SequenceFlow') && bo.sourceRef && (is(bo.sourceRef, 'bpmn:ExclusiveGateway') || is(bo.sourceRef, 'bpmn:InclusiveGateway'))) {
        groups.push(group('tonghu-condition', t('Condition'), [entry('tonghu-condition', ConditionEntry, isTextAreaEntryEdited)]));
      }
      if ((is(element, 'bpmn:ExclusiveGateway') || is(element, 'bpmn:InclusiveGateway')) && (bo.outgoing || []).length > 1) {
        groups.push(group('tonghu-default', t('Default flow'), [entry('tonghu-default', DefaultFlowEntry, isSelectEntryEdited)]));
      }
      if (is(element, 'bpmn:Task') && !is(element, 'bpmn:ScriptTask')) {
        groups.push(group('tonghu-scripts', t('Scripts'), [
          entry('tonghu-prescript', PreScriptEntry, isTextAreaEntryEdited),
          entry('tonghu-postscript', PostScriptEntry, isTextAreaEntryEdited),
        ]));
      }
      return groups;

      function entry(id, component, isEdited) {
        return { id, component, isEdited, element };
      }
    };
  };

  propertiesPanel.registerProvider(400, this);

  function group(id, label, entries) {
    return { id, label, entries };
  }

  // -- entries --------------------------------------------------------------------------
  function withUnknown(options, value, label) {
    if (value && !options.some((o) => o.value === value)) {
      return [...options, { value, label: `${t('Unknown')}: ${value}${label ? ' ' + label : ''}` }];
    }
    return options;
  }

  function DepartmentEntry({ element, id }) {
    const injector = useService('injector');
    const value = spiffProperty(element, 'department') || '';
    const options = withUnknown([{ value: '', label: t('— choose —') },
      ...catalog.departments.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }))], value);
    return <SelectEntry id={id} element={element} label={t('Department')}
      description={t('The department whose office acts on this lane\'s tasks.')}
      getValue={() => value} setValue={(v) => setSpiffProperty(injector, element, 'department', v)}
      getOptions={() => options} />;
  }

  function LevelEntry({ element, id }) {
    const injector = useService('injector');
    const value = spiffProperty(element, 'level') || '';
    const department = catalog.departments.find((d) => d.code === spiffProperty(element, 'department'));
    const usual = department ? department.levels : catalog.levels.map((l) => l.code);
    const options = withUnknown([{ value: '', label: t('— choose —') },
      ...catalog.levels.filter((l) => usual.includes(l.code) || l.code === value)
        .map((l) => ({ value: l.code, label: `${l.name}（${l.code}）` }))], value);
    return <SelectEntry id={id} element={element} label={t('Level')}
      description={t('The level at which the office acts, counted from the child\'s place.')}
      getValue={() => value} setValue={(v) => setSpiffProperty(injector, element, 'level', v)}
      getOptions={() => options} />;
  }

  // The unit-choosing fields (x-unit) of the forms whose units may act for the lane's department.
  function UnitFromEntry({ element, id }) {
    const injector = useService('injector');
    const value = spiffProperty(element, 'unitFrom') || '';
    const department = spiffProperty(element, 'department');
    const acting = (catalog.acts_for || {})[department] || (department ? [department] : null);
    const fits = (f) => !acting || (f.departments.length > 0 && f.departments.every((d) => acting.includes(d)));
    const seen = new Set();
    const fields = (catalog.unit_fields || []).filter((f) => fits(f) && !seen.has(f.field) && seen.add(f.field));
    const options = withUnknown([{ value: '', label: t('— none: the office acts —') },
      ...fields.map((f) => ({ value: f.field, label: `${f.title}（${f.field} · ${f.form}）` }))], value,
    t('(no form offers units of this lane\'s department in this field)'));
    return <SelectEntry id={id} element={element} label={t('Unit chosen in the case')}
      description={t('The lane\'s tasks go to the unit chosen in this form field, not to the office.')}
      getValue={() => value} setValue={(v) => setSpiffProperty(injector, element, 'unitFrom', v)}
      getOptions={() => options} />;
  }

  // The place-choosing fields (x-region) of the forms this diagram fills, at least as fine as the lane's level.
  function RegionFromEntry({ element, id }) {
    const injector = useService('injector');
    const registry = useService('elementRegistry');
    const value = spiffProperty(element, 'regionFrom') || '';
    const order = catalog.levels.map((l) => l.code);
    const level = spiffProperty(element, 'level');
    const used = new Set(registry.getAll().map((e) => spiffProperty(e, 'formJsonSchemaFilename')).filter(Boolean));
    const fits = (f) => used.has(f.form) && (!order.includes(level) || order.indexOf(f.level) >= order.indexOf(level));
    const seen = new Set();
    const fields = (catalog.region_fields || []).filter((f) => fits(f) && !seen.has(f.field) && seen.add(f.field));
    const options = withUnknown([{ value: '', label: t('— none: the case\'s place —') },
      ...fields.map((f) => ({ value: f.field, label: `${f.title}（${f.field} · ${f.form}）` }))], value,
    t('(no form of this diagram chooses a place this fine in this field)'));
    return <SelectEntry id={id} element={element} label={t('Place chosen in the case')}
      description={t('The lane\'s tasks go to the office of the place chosen in this form field, not of the case\'s place.')}
      getValue={() => value} setValue={(v) => setSpiffProperty(injector, element, 'regionFrom', v)}
      getOptions={() => options} />;
  }

  function FormEntry({ element, id }) {
    const injector = useService('injector');
    const value = spiffProperty(element, 'formJsonSchemaFilename') || '';
    const options = withUnknown([{ value: '', label: t('— no form —') },
      ...catalog.forms.map((f) => ({ value: f.name, label: `${f.title}（${f.name}）` }))], value);
    return <SelectEntry id={id} element={element} label={t('Form')}
      getValue={() => value} setValue={(v) => setSpiffProperty(injector, element, 'formJsonSchemaFilename', v)}
      getOptions={() => options} />;
  }

  function DueEntry({ element, id }) {
    const injector = useService('injector');
    const debounce = useService('debounceInput');
    return <TextFieldEntry id={id} element={element} label={t('Due in')} debounce={debounce}
      description={t('ISO 8601 duration, e.g. P7D (7 days), PT24H (24 hours), P1M (a month); empty for none.')}
      validate={(v) => (v && !DURATION.test(v) ? t('Not an ISO 8601 duration') : null)}
      getValue={() => spiffProperty(element, 'dueIn') || ''}
      setValue={(v) => setSpiffProperty(injector, element, 'dueIn', (v || '').trim())} />;
  }

  function HandlerEntry({ element, id }) {
    const injector = useService('injector');
    const op = operator(element);
    const value = (op && op.id) || '';
    const options = withUnknown([{ value: '', label: t('— choose —') },
      ...catalog.handlers.map((h) => ({ value: h.name, label: `${h.title}（${h.name}）` }))], value);
    return <SelectEntry id={id} element={element} label={t('Handler')}
      getValue={() => value}
      setValue={(v) => setOperator(injector, element, v, catalog.handlers.find((h) => h.name === v))}
      getOptions={() => options} />;
  }

  function ResultVariableEntry({ element, id }) {
    const injector = useService('injector');
    const debounce = useService('debounceInput');
    const op = operator(element);
    return <TextFieldEntry id={id} element={element} label={t('Result variable')} debounce={debounce}
      disabled={!op} description={t('The task-data name the handler\'s answer is stored under.')}
      getValue={() => (op && op.resultVariable) || ''}
      setValue={(v) => setOperatorAttr(injector, element, 'resultVariable', (v || '').trim())} />;
  }

  function ParameterEntry({ element, id, param }) {
    const injector = useService('injector');
    const debounce = useService('debounceInput');
    const current = operatorParameters(element).find((p) => p.id === param.name);
    return <TextFieldEntry id={id} element={element} debounce={debounce}
      label={`${t('Parameter')} ${param.name}（${param.type}）${param.required ? ' *' : ''}`}
      description={t('A Python expression, e.g. \'text\' in quotes for a string.')}
      getValue={() => (current && current.value) || ''}
      setValue={(v) => setParameter(injector, element, param.name, param.type, v)} />;
  }

  function ConditionEntry({ element, id }) {
    const injector = useService('injector');
    const debounce = useService('debounceInput');
    return <TextAreaEntry id={id} element={element} label={t('Condition')} debounce={debounce} monospace rows={2}
      description={t('A Python expression over form fields, e.g. court_ruling == \'revoked\'.')}
      getValue={() => condition(element)} setValue={(v) => setCondition(injector, element, (v || '').trim())} />;
  }

  function DefaultFlowEntry({ element, id }) {
    const modeling = useService('modeling');
    const registry = useService('elementRegistry');
    const bo = getBusinessObject(element);
    const options = [{ value: '', label: t('— none —') },
      ...(bo.outgoing || []).map((flow) => ({ value: flow.id, label: flow.name ? `${flow.name}（${flow.id}）` : flow.id }))];
    return <SelectEntry id={id} element={element} label={t('Default flow')}
      description={t('Taken when no condition holds.')}
      getValue={() => (bo.default ? bo.default.id : '')}
      setValue={(v) => {
        const flow = v ? registry.get(v) : null;
        modeling.updateProperties(element, { default: flow ? flow.businessObject : undefined });
      }}
      getOptions={() => options} />;
  }

  function ScriptEntry({ element, id, type, label }) {
    const injector = useService('injector');
    const debounce = useService('debounceInput');
    return <TextAreaEntry id={id} element={element} label={label} debounce={debounce} monospace rows={2}
      getValue={() => script(element, type)} setValue={(v) => setScript(injector, element, type, v)} />;
  }

  function PreScriptEntry(props) {
    return <ScriptEntry {...props} type="spiffworkflow:PreScript" label={t('Script before the task')} />;
  }

  function PostScriptEntry(props) {
    return <ScriptEntry {...props} type="spiffworkflow:PostScript" label={t('Script after the task')} />;
  }
}

TonghuPropertiesProvider.$inject = ['propertiesPanel', 'injector', 'config.tonghu'];
