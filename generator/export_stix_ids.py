"""The ids of a STIX export: Dossier's own, made from the dossier's ids, and the fixed ones
OASIS publishes for TLP 2.0.

Ids are UUIDv5 from a fixed namespace and the dossier's own ids, not the UUIDv4 the
specification recommends: a producer MAY use other versions, and deterministic ids are
what make the same content give the same bundle, and a re-import update objects instead
of duplicating them (see `stix_id`).
"""

from __future__ import annotations

import hashlib
import uuid

#: the namespace of every id this module makes (a UUIDv4 drawn once, never to change:
#: the ids of every exported bundle depend on it)
NAMESPACE = uuid.UUID("2a963d37-cf4a-4b5a-a990-3015a096156b")
_NAMESPACE_BYTES = NAMESPACE.bytes
#: TLP 2.0 as OASIS publishes it (cti-stix-common-objects, extension-definition-specifications/
#: tlp-2.0): the extension and one marking definition per level, created 2022-10-01
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_CREATED = "2022-10-01T00:00:00.000Z"
TLP_MARKINGS = {
    "TLP:CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "TLP:GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "TLP:AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "TLP:RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def stix_id(kind: str, key: str) -> str:
    """`kind--UUIDv5(NAMESPACE, "kind:key")`: the same dossier id always gives the same
    STIX id, so an importer updates what it imported before. The dossier's ids are unique
    across types, and every object type gets its own name in the key.

    The UUID is made here as RFC 4122 says (SHA-1 of namespace and name, version and
    variant bits set), what `uuid.uuid5` does at a third of its cost (tests/test_exports.py
    checks the two agree): the 1,000-profile benchmark dossier needs 10,000 of them."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{kind}--{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


#: Dossier's property extension, defined in every bundle (`export_stix_meta`)
EXTENSION_ID = stix_id("extension-definition", "dossier-properties")
#: the identity of the generator, which creates the extension's definition
PRODUCER_ID = stix_id("identity", "dossier-generator")
