"""Images of V3 catalog products, added by `image_url` (the vendor also takes multipart `image_file`
uploads; the fake does not). The first image of a product becomes its thumbnail; marking another image
as the thumbnail clears the flag on the rest. A mixin of CatalogState (split out for size).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from storefake.bigcommerce.errors import ImageUrlRequired, ResourceNotFound
from storefake.bigcommerce.state.catalog_fields import IMAGE_FIELDS, IMAGE_READ_ONLY, clean_body
from storefake.bigcommerce.state.catalog_records import Image
from storefake.table import Selection, Table


class ImagesMixin:
    images: Table[Image]
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

    def update_image(self, product_id: int, image_id: int, body: Any) -> Image:
        changes = clean_body(body, IMAGE_FIELDS, IMAGE_READ_ONLY, "image")
        with self._writing() as events:
            image = self.get_image(product_id, image_id)
            if changes.get("is_thumbnail"):
                self._clear_thumbnail(product_id)
                image = self.get_image(product_id, image_id)
            updated = replace(image, fields={**image.fields, **changes}, modified_at=self._now())
            self.images.replace(image_id, updated)
            events.append(("store/product/updated", {"type": "product", "id": product_id}))
            return updated

    def delete_image(self, product_id: int, image_id: int) -> None:
        with self._writing() as events:
            self.get_image(product_id, image_id)
            self.images.delete(image_id)
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
        fields = clean_body(body, IMAGE_FIELDS, IMAGE_READ_ONLY, "image")
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
