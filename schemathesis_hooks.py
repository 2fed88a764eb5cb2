"""What the OpenAPI document cannot say, told to schemathesis (`cargo xtask openapi` loads it).

JSON Schema has no way to say "unique by one property": a hunt's resources must have distinct
ids (CONTRACT.md), so generated bodies that repeat one are dropped rather than sent as if valid.
"""

import schemathesis


def _resource_ids_repeat(body):
    if not isinstance(body, dict):
        return False
    resources = body.get("resources")
    if not isinstance(resources, list):
        return False
    ids = [item.get("id") for item in resources if isinstance(item, dict)]
    return len(ids) != len(set(map(repr, ids)))


@schemathesis.hook
def filter_body(context, body):
    return not _resource_ids_repeat(body)
