"""Hand a child over from one procedure to another (e.g. severe risk -> revocation)."""
from .registry import HandlerContext, HandlerError, operator


@operator("start_procedure", "为同一儿童发起另一流程")
def start_procedure(ctx: HandlerContext, process_id: str, carry: str = "") -> dict:
    """Start `process_id` for this child; `carry` names task-data fields (comma-separated) to hand over."""
    if not process_id:
        raise HandlerError("bad_parameters", "未指定要发起的流程")
    fields = [name.strip() for name in carry.split(",") if name.strip()]
    data = {"child": ctx.data.get("child"), "handed_over_from": ctx.process_id,
            **{name: ctx.data[name] for name in fields if name in ctx.data}}
    ctx.start_procedure(process_id, data)
    return {"process_id": process_id, "carried": fields}
