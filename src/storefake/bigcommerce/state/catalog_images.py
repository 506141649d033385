"""Images of V3 catalog products, added by `image_url` (JSON) or uploaded as a multipart `image_file`.

The first image of a product becomes its thumbnail; marking another image as the thumbnail clears the flag
on the rest. An uploaded file's bytes are kept (`image_files`, by image id) and served by the fake itself,
so its `url_*` point at the fake (routes/catalog_views.py). Uploads must be one of the vendor's types (BMP,
GIF, JPEG, PNG, WBMP, XBM, WEBP: known by their first bytes) and at most 8 MB (products_catalog.v3.yml).
A mixin of CatalogState (split out for size).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from storefake.bigcommerce.errors import (
    ImageFileInvalid,
    ImageFileRequired,
    ImageFileTooLarge,
    ImageUrlRequired,
    InvalidJSON,
    ResourceNotFound,
    TooManyImages,
)
from storefake.bigcommerce.state.catalog_fields import IMAGE_FIELDS, IMAGE_READ_ONLY, clean_body
from storefake.bigcommerce.state.catalog_records import Image
from storefake.table import Selection, Table

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_PRODUCT_IMAGES = 1000  # "A product can have up to 1000 images." (products_catalog.v3.yml)
UPLOAD_FIELDS = {k: v for k, v in IMAGE_FIELDS.items() if k != "image_url"}
# Internal fields of an uploaded image: the file's name and the origin (scheme and host) it was sent to.
UPLOADED, ORIGIN = "_upload", "_origin"


class ImagesMixin:
    images: Table[Image]
    image_files: dict[int, tuple[bytes, str]]  # an uploaded image's bytes and media type, by image id
    # provided by CatalogState
    _writing: Any
    _now: Any
    product: Any

    # images -----------------------------------------------------------------------------------------
    def list_images(self, product_id: int, *, offset: int = 0, limit: int | None = None) -> Selection[Image]:
        self.product(product_id)
        return self.images.select(
            candidates=[self.images.ids_for("product_id", product_id)], offset=offset, limit=limit
        )

    def get_image(self, product_id: int, image_id: int) -> Image:
        image = self.images.get(image_id)
        if image is None or image.product_id != product_id:
            raise ResourceNotFound()
        return image

    def create_image(self, product_id: int, body: Any) -> Image:
        with self._writing() as events:
            self.product(product_id)
            image = self._insert_image(product_id, body)
            events.append(("store/product/updated", {"type": "product", "id": product_id}))
        return image

    def create_image_file(
        self, product_id: int, form: Mapping[str, str], upload: tuple[str, bytes] | None, origin: str
    ) -> Image:
        """A multipart upload: `upload` is the `image_file` part's file name and bytes (None: no file part)."""
        if upload is None:
            raise ImageFileRequired()
        file_name, data = upload
        if len(data) > MAX_IMAGE_BYTES:
            raise ImageFileTooLarge(parameters={"max": "8 MB"})
        media_type = image_media_type(data)
        if media_type is None:
            raise ImageFileInvalid()
        fields = clean_body(form_fields(form), UPLOAD_FIELDS, IMAGE_READ_ONLY, "image")
        fields[UPLOADED], fields[ORIGIN] = file_name, origin
        with self._writing() as events:
            self.product(product_id)
            image = self._store_image(product_id, fields)
            self.image_files[image.id] = (data, media_type)
            events.append(("store/product/updated", {"type": "product", "id": product_id}))
        return image

    def image_file(self, product_id: int, image_id: int) -> tuple[bytes, str]:
        """An uploaded image's bytes and media type (the vendor's 404 for any other image)."""
        found = self.image_files.get(image_id)
        if found is None:
            raise ResourceNotFound()
        self.get_image(product_id, image_id)
        return found

    def update_image(self, product_id: int, image_id: int, body: Any) -> Image:
        changes = clean_body(body, IMAGE_FIELDS, IMAGE_READ_ONLY, "image")
        with self._writing() as events:
            image = self.get_image(product_id, image_id)
            if changes.get("is_thumbnail"):
                self._clear_thumbnail(product_id)
                image = self.get_image(product_id, image_id)
            fields = {**image.fields, **changes}
            if "image_url" in changes:  # an uploaded image given a URL is that URL's image from now on
                fields.pop(UPLOADED, None)
                fields.pop(ORIGIN, None)
                self.image_files.pop(image_id, None)
            updated = replace(image, fields=fields, modified_at=self._now())
            self.images.replace(image_id, updated)
            events.append(("store/product/updated", {"type": "product", "id": product_id}))
            return updated

    def delete_image(self, product_id: int, image_id: int) -> None:
        with self._writing() as events:
            self.get_image(product_id, image_id)
            self.images.delete(image_id)
            self.image_files.pop(image_id, None)
            events.append(("store/product/updated", {"type": "product", "id": product_id}))

    def primary_image(self, product_id: int) -> Image | None:
        """The thumbnail image, else the first by sort order (what `include=primary_image` shows)."""
        images = [self.images.get(i) for i in self.images.ids_for("product_id", product_id)]
        present = [i for i in images if i is not None]
        for image in present:
            if image.fields.get("is_thumbnail"):
                return image
        return min(present, key=lambda i: (i.fields.get("sort_order", 0), i.id), default=None)

    def _insert_image(self, product_id: int, body: Any) -> Image:
        if not isinstance(body, dict) or not isinstance(body.get("image_url"), str) or not body["image_url"].strip():
            raise ImageUrlRequired()
        return self._store_image(product_id, clean_body(body, IMAGE_FIELDS, IMAGE_READ_ONLY, "image"))

    def check_image_room(self, product_id: int, adding: int) -> None:
        """422 when `adding` more images would take the product past the vendor's 1,000."""
        if adding and len(self.images.ids_for("product_id", product_id)) + adding > MAX_PRODUCT_IMAGES:
            raise TooManyImages(parameters={"max": MAX_PRODUCT_IMAGES}, errors={"images": "error.max"})

    def _store_image(self, product_id: int, fields: dict[str, Any]) -> Image:
        self.check_image_room(product_id, 1)
        existing = self.images.ids_for("product_id", product_id)
        if fields.get("is_thumbnail"):
            self._clear_thumbnail(product_id)
        elif not existing:
            fields["is_thumbnail"] = True  # the first image becomes the thumbnail
        image_id = self.images.allocate_id()
        image = Image(image_id, product_id, fields, self._now())
        self.images.insert(image_id, image)
        return image

    def _clear_thumbnail(self, product_id: int) -> None:
        for image_id in list(self.images.ids_for("product_id", product_id)):
            image = self.images.get(image_id)
            if image is not None and image.fields.get("is_thumbnail"):
                self.images.replace(image_id, replace(image, fields={**image.fields, "is_thumbnail": False}))


# uploads --------------------------------------------------------------------------------------------
def image_media_type(data: bytes) -> str | None:
    """The media type of an image of one of the vendor's types, told by its first bytes; None otherwise."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data.startswith(b"BM") and len(data) > 26:
        return "image/bmp"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.lstrip().startswith(b"#define") and b"_width" in data[:200]:
        return "image/x-xbitmap"
    if _is_wbmp(data):
        return "image/vnd.wap.wbmp"
    return None


def _is_wbmp(data: bytes) -> bool:
    """WBMP type 0: bytes 0 and 0, width and height as multi-byte integers, then one bit per pixel."""
    if data[:2] != b"\x00\x00":
        return False
    position, sizes = 2, []
    for _ in range(2):
        value = 0
        while position < len(data) and position < 12:
            byte = data[position]
            position += 1
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        else:
            return False
        sizes.append(value)
    width, height = sizes
    return width > 0 and height > 0 and len(data) - position == (width + 7) // 8 * height


def form_fields(form: Mapping[str, str]) -> dict[str, Any]:
    """Multipart text fields as the JSON body's types: `is_thumbnail` true/false/1/0, `sort_order` a number."""
    fields: dict[str, Any] = dict(form)
    flag = fields.get("is_thumbnail")
    if isinstance(flag, str):
        fields["is_thumbnail"] = {"true": True, "1": True, "false": False, "0": False}.get(flag.strip().lower(), flag)
    order = fields.get("sort_order")
    if isinstance(order, str):
        try:
            fields["sort_order"] = int(order.strip())
        except ValueError:
            raise InvalidJSON(errors={"sort_order": "error.expected.jsnumber"}) from None
    return fields
