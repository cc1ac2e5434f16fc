"""Uploaded files, kept in memory up to a cap: past NEWSROOM_UPLOAD_MAX_BYTES nothing is kept.

Django has no size limit of its own for uploaded files (DATA_UPLOAD_MAX_MEMORY_SIZE leaves them
out) and spools large ones to disk. Here a file over the cap is dropped as soon as it passes
the cap and arrives empty, with its true size, so the form refuses it by size and says so;
the rest of the request is read and discarded, so the editor gets that answer instead of a
broken connection. A proxy's body limit (docs/deployment.md) bounds the reading too.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.kept: io.BytesIO | None = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.kept is not None:
            if start + len(raw_data) > settings.NEWSROOM_UPLOAD_MAX_BYTES:
                self.kept = None  # too large: what came so far is let go, and the rest
            else:
                self.kept.write(raw_data)
        return None  # the chunk is dealt with: no other handler sees it

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        content = self.kept or io.BytesIO()
        content.seek(0)
        return InMemoryUploadedFile(
            file=content,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
