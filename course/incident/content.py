"""Loading the scenario parts under course/content/incident/ (data only), with errors that name file and field."""

import re
from functools import lru_cache

from ..errors import ContentError
from ..yamlio import CONTENT_DIR, read_yaml, require

INCIDENT_DIR = CONTENT_DIR / "incident"

# file -> top-level keys that must be there (checked once, when first loaded)
REQUIRED = {
    "company": ("companies", "departments", "family_names", "given_names", "servers", "network", "backup",
                "telework_share"),
    "activity": ("web_services", "department_services", "late_services", "blocked_domains", "apps", "office_print",
                 "admin_tasks", "admin_psexec", "vendor_sftp", "services_7036", "services_7045", "mail_partners",
                 "mail_subjects", "attachments", "spam_subjects", "file_names", "helpdesk_background",
                 "helpdesk_channels"),
    "attack": ("variants", "phishing", "first_stage", "recon", "download", "beacon_names", "credential_dump",
               "dump_names", "lateral", "exfil_tools", "inhibit_recovery", "encryptor_names", "encryptor_dirs",
               "encryptor_args", "ransom_extensions", "ransom_notes", "early_tickets", "discovery_tickets"),
    "rules": ("rules",),
}


@lru_cache(maxsize=None)
def load(name):
    """The YAML file course/content/incident/<name>.yaml as a dict, its required keys checked."""
    path = INCIDENT_DIR / f"{name}.yaml"
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(path, "(file)", "キーと値の対応表が必要です / expected a mapping")
    for key in REQUIRED.get(name, ()):
        require(data, key, (list, dict, str, int, float), path)
    return data


def path_of(name):
    return INCIDENT_DIR / f"{name}.yaml"


_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")


def fill(template, **values):
    """Replace {name} for the given names only, so that literal braces ({default} in bcdedit) stay as they are."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


def text(item, lang="ja"):
    """{ja, en} -> the text in lang (Japanese if the language is missing)."""
    if isinstance(item, dict):
        return item.get(lang) or item.get("ja") or ""
    return str(item)
