"""The process designer's work, one concern a module: the catalog the modeler chooses from,
forms edited in the browser, drafts (check and deploy), the version list and the difference
between two versions. No Flask here; every function takes the session and plain values and
leaves the commit to the caller.
"""
from .catalog import catalog
from .diff import Change, diff
from .drafts import EditableFile, carried_variables, check, deploy, deploy_set, discard_draft, editable_files, procedure, save_draft
from .form_drafts import effective_forms, form_problems, procedures_using_form, save_form, saved_form
from .versions import VersionRow, version, versions

__all__ = ["Change", "EditableFile", "VersionRow", "carried_variables", "catalog", "check", "deploy", "deploy_set",
           "diff", "discard_draft", "editable_files", "effective_forms", "form_problems", "procedure",
           "procedures_using_form", "save_draft", "save_form", "saved_form", "version", "versions"]
