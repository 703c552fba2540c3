"""The process designer's work, one concern a module: the catalog the modeler chooses from,
forms edited in the browser, new procedures and retiring them, decision tables, drafts (check
and deploy), the version list and the difference between two versions. No Flask here; every
function takes the session and plain values and leaves the commit to the caller.
"""
from .catalog import catalog
from .diff import Change, diff
from .drafts import (EditableFile, carried_variables, check, check_with_warnings, deploy, deploy_set, discard_draft,
                     editable_files, procedure, save_draft, table_files)
from .form_drafts import effective_forms, form_problems, new_form, procedures_using_form, save_form, saved_form
from .procedures import (create_blank, create_copy, delete_undeployed, draft_definition, id_problems, refuse_if_retired,
                         reinstate, retire, retired, retired_ids, undeployed)
from .versions import VersionRow, version, versions

__all__ = ["Change", "EditableFile", "VersionRow", "carried_variables", "catalog", "check", "check_with_warnings",
           "create_blank",
           "create_copy", "delete_undeployed", "deploy", "deploy_set", "diff", "discard_draft", "draft_definition",
           "editable_files", "effective_forms", "form_problems", "id_problems", "new_form", "procedure", "procedures_using_form",
           "refuse_if_retired", "reinstate", "retire", "retired", "retired_ids", "save_draft", "save_form",
           "saved_form", "table_files", "undeployed", "version", "versions"]
