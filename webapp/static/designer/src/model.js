// Reading and writing what Tonghu reads from a diagram (spiffworkflow extension elements),
// through bpmn-js's modeling commands so every change can be undone.
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

export function extension(element, type) {
  const bo = getBusinessObject(element);
  const values = (bo.extensionElements && bo.extensionElements.get('values')) || [];
  return values.find((value) => is(value, type));
}

export function spiffProperty(element, name) {
  const props = extension(element, 'spiffworkflow:Properties');
  const prop = props && props.get('properties').find((p) => p.name === name);
  return prop ? prop.value : undefined;
}

function ensureExtensionElements(injector, element) {
  const bo = getBusinessObject(element);
  if (!bo.extensionElements) {
    const ext = injector.get('bpmnFactory').create('bpmn:ExtensionElements', { values: [] });
    injector.get('modeling').updateProperties(element, { extensionElements: ext });
  }
  return bo.extensionElements;
}

function ensureExtension(injector, element, type, attrs) {
  let found = extension(element, type);
  if (!found) {
    const ext = ensureExtensionElements(injector, element);
    found = injector.get('bpmnFactory').create(type, attrs);
    found.$parent = ext;
    injector.get('modeling').updateModdleProperties(element, ext, { values: [...ext.get('values'), found] });
  }
  return found;
}

function removeExtension(injector, element, found) {
  const ext = getBusinessObject(element).extensionElements;
  if (ext && found) {
    injector.get('modeling').updateModdleProperties(element, ext, {
      values: ext.get('values').filter((v) => v !== found),
    });
  }
}

export function setSpiffProperty(injector, element, name, value) {
  const modeling = injector.get('modeling');
  const existing = extension(element, 'spiffworkflow:Properties');
  const current = existing && existing.get('properties').find((p) => p.name === name);
  if (value === undefined || value === null || value === '') {
    if (current) {
      modeling.updateModdleProperties(element, existing, {
        properties: existing.get('properties').filter((p) => p !== current),
      });
    }
    return;
  }
  if (current) {
    modeling.updateModdleProperties(element, current, { value });
    return;
  }
  const props = ensureExtension(injector, element, 'spiffworkflow:Properties', { properties: [] });
  const prop = injector.get('bpmnFactory').create('spiffworkflow:Property', { name, value });
  prop.$parent = props;
  modeling.updateModdleProperties(element, props, { properties: [...props.get('properties'), prop] });
}

// -- service task operator ---------------------------------------------------------------
export function operator(element) {
  return extension(element, 'spiffworkflow:ServiceTaskOperator');
}

export function operatorParameters(element) {
  const op = operator(element);
  const list = op && op.get('parameterList');
  return list ? list.get('parameters') : [];
}

export function setOperator(injector, element, name, handler) {
  const modeling = injector.get('modeling');
  const bpmnFactory = injector.get('bpmnFactory');
  const current = operator(element);
  if (!name) {
    removeExtension(injector, element, current);
    return;
  }
  const wanted = new Set((handler ? handler.parameters : []).map((p) => p.name));
  const kept = operatorParameters(element).filter((p) => wanted.has(p.id));
  const list = bpmnFactory.create('spiffworkflow:Parameters', { parameters: kept });
  if (current) {
    modeling.updateModdleProperties(element, current, { id: name, parameterList: kept.length ? list : undefined });
  } else {
    const op = ensureExtension(injector, element, 'spiffworkflow:ServiceTaskOperator', { id: name });
    if (kept.length) modeling.updateModdleProperties(element, op, { parameterList: list });
  }
}

export function setOperatorAttr(injector, element, attr, value) {
  const op = operator(element);
  if (op) injector.get('modeling').updateModdleProperties(element, op, { [attr]: value || undefined });
}

export function setParameter(injector, element, name, type, value) {
  const modeling = injector.get('modeling');
  const bpmnFactory = injector.get('bpmnFactory');
  const op = operator(element);
  if (!op) return;
  let list = op.get('parameterList');
  const current = list && list.get('parameters').find((p) => p.id === name);
  if (value === undefined || value === '') {
    if (current) modeling.updateModdleProperties(element, list, { parameters: list.get('parameters').filter((p) => p !== current) });
    return;
  }
  if (current) {
    modeling.updateModdleProperties(element, current, { value, type });
    return;
  }
  const param = bpmnFactory.create('spiffworkflow:Parameter', { id: name, type, value });
  if (!list) {
    list = bpmnFactory.create('spiffworkflow:Parameters', { parameters: [param] });
    list.$parent = op;
    param.$parent = list;
    modeling.updateModdleProperties(element, op, { parameterList: list });
  } else {
    param.$parent = list;
    modeling.updateModdleProperties(element, list, { parameters: [...list.get('parameters'), param] });
  }
}

// -- scripts ------------------------------------------------------------------------------
export function script(element, type) {
  const found = extension(element, type);
  return found ? found.value || '' : '';
}

export function setScript(injector, element, type, value) {
  const found = extension(element, type);
  if (!value) {
    removeExtension(injector, element, found);
  } else if (found) {
    injector.get('modeling').updateModdleProperties(element, found, { value });
  } else {
    ensureExtension(injector, element, type, { value });
  }
}

// -- conditions --------------------------------------------------------------------------
export function condition(element) {
  const expr = getBusinessObject(element).conditionExpression;
  return expr ? expr.body || '' : '';
}

export function setCondition(injector, element, value) {
  const modeling = injector.get('modeling');
  if (!value) {
    modeling.updateProperties(element, { conditionExpression: undefined });
    return;
  }
  const expr = injector.get('bpmnFactory').create('bpmn:FormalExpression', { body: value });
  modeling.updateProperties(element, { conditionExpression: expr });
}
