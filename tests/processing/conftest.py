"""The processing tests keep their originals and index apart, as the admin tests do."""

from tests.admin.conftest import media_root, search_index, staff_client, staff_user  # noqa: F401 - fixtures
