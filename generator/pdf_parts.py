"""The printed parts of a large briefing book joined into one PDF (pypdf).

Chromium prints each part of the book (`pdf_book.Book.parts`) as its own document, with
its own outline, named places and links, and no page numbers. Joined here:

- pages: each part's pages in order (`PdfWriter.append`);
- bookmarks: each part's outline (Chromium's, from the headings), its pages moved by
  the pages before it; a part that carries on a chapter puts its profiles under that
  chapter's bookmark, as one document would;
- links: every link inside the book leads to an explicit place (page, left, top), found
  from the places Chromium named in the part that holds the target; a link to another
  part (`pdf_links.BOOK_URI`) becomes such a link too. Named destinations would also do,
  but pypdf moves them into the catalog's name tree while Chromium's links name them as
  PDF names, which only the older `/Dests` dictionary resolves;
- page numbers: Chromium prints a document of the book's number of empty pages with only
  the footer's "k / N" (`pdf_book.numbers_html`), and each of its pages is laid over the
  book's page as a form XObject. Chromium (156) cannot number a part from an offset and
  know the total without printing every part twice (`counter-reset: page` in `@page`
  resets every page); the empty pages cost a second or so and keep the book's own font,
  size and place for the numbers.

The joined file is written whole by pypdf, which adds no date and no random id; its
information dictionary is the first part's (whose dates are the content's).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    Destination,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
)

from .pdf_links import BOOK_URI

#: the name of the page number's form on each page
NUMBER_FORM = "/DossierPageNumber"

Place = tuple[int, Destination]  # a page of the joined book, and where on it


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def joined(parts: Sequence[bytes], continued: Sequence[int], numbers: bytes) -> bytes:
    """The book: `parts` (Chromium's PDFs) joined; `continued[k]`: how many profiles part k
    begins with that carry on the previous part's last chapter (their bookmarks go under
    its); `numbers`: the page numbers, one page per book page."""
    writer = PdfWriter()
    places: dict[str, Place] = {}
    chapter: IndirectObject | None = None
    for pdf, carried in zip(parts, continued, strict=True):
        reader = PdfReader(io.BytesIO(pdf))
        offset = len(writer.pages)
        writer.append(reader, import_outline=False)
        for name, dest in reader.named_destinations.items():
            places[_place_name(name)] = (offset + _page_of(reader, dest), dest)
        top = _outline_tops(reader.outline)
        if carried and chapter is not None:
            _copy_outline(writer, reader, _items(top[:carried]), offset, chapter)
        chapter = _copy_outline(writer, reader, _items(top[carried:]), offset, None) or chapter
    _point_links(writer, places)
    _stamp_numbers(writer, PdfReader(io.BytesIO(numbers)))
    first = PdfReader(io.BytesIO(parts[0])).metadata
    if first is not None:
        writer.add_metadata({key: str(value) for key, value in first.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _place_name(name: str) -> str:
    """A named place as Chromium names it, and a link's fragment, compared alike."""
    return unquote(name.removeprefix("/"))


OutlineTop = tuple[Destination, list[Any]]  # a top-level bookmark and what it holds


def _outline_tops(outline: Sequence[Any]) -> list[OutlineTop]:
    """pypdf's outline (an item, then the list of its children, if any) as (item, children)."""
    tops: list[OutlineTop] = []
    for item in outline:
        if isinstance(item, list):
            tops[-1][1].extend(item)
        else:
            tops.append((item, []))
    return tops


def _items(tops: list[OutlineTop]) -> list[Any]:
    """Top-level bookmarks back in pypdf's form."""
    return [x for item, children in tops for x in ([item, children] if children else [item])]


def _copy_outline(writer: PdfWriter, reader: PdfReader, items: Sequence[object], offset: int,
                  parent: IndirectObject | None) -> IndirectObject | None:
    """`items` (a part's outline: an item, then a list of its children) added under
    `parent`; the last item added at this level (a chapter's, at the top)."""
    last: IndirectObject | None = None
    for item in items:
        if isinstance(item, list):
            _copy_outline(writer, reader, item, offset, last)
        elif isinstance(item, Destination):
            page = offset + _page_of(reader, item)
            last = writer.add_outline_item(title=item.title or "", page_number=page, parent=parent,
                                           fit=_fit(item))
    return last


def _page_of(reader: PdfReader, where: Destination) -> int:
    page = reader.get_destination_page_number(where)
    if page is None:
        raise ValueError(f"Chromium's place {where.title!r} is on no page")
    return page


def _fit(where: Destination) -> Fit:
    """How a place of a part shows its page (Chromium's: /XYZ left top zoom)."""
    return Fit(str(where.typ), tuple(where.dest_array[2:]))


def _point_links(writer: PdfWriter, places: dict[str, Place]) -> None:
    """Every link to a place of the book made a link to its page and spot (see the module
    docstring); a link to a place no part named loses its address, as a link to a page the
    book leaves out does."""
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            name = _link_target(annotation)
            if name is None:
                continue
            annotation.pop(NameObject("/A"), None)
            annotation.pop(NameObject("/Dest"), None)
            if name in places:
                number, dest = places[name]
                annotation[NameObject("/Dest")] = ArrayObject(
                    [writer.pages[number].indirect_reference, *dest.dest_array[1:]])


def _link_target(annotation: DictionaryObject) -> str | None:
    """The place a link annotation leads to inside the book, or None (an outside address)."""
    if annotation.get("/Subtype") != "/Link":
        return None
    dest = annotation.get("/Dest")
    if dest is not None and not isinstance(dest, (ArrayObject, NullObject)):
        return _place_name(str(dest))
    action = annotation.get("/A")
    uri = str(action.get_object().get("/URI", "")) if action is not None else ""
    return _place_name(uri.removeprefix(BOOK_URI + "#")) if uri.startswith(BOOK_URI + "#") else None


def _stamp_numbers(writer: PdfWriter, numbers: PdfReader) -> None:
    """Each page of `numbers` drawn over the book's page of the same number, as a form
    XObject after the page's own content (kept in its own graphics state)."""
    if len(numbers.pages) != len(writer.pages):
        raise ValueError(f"{len(numbers.pages)} numbered pages for a book of {len(writer.pages)}")
    before = writer._add_object(_stream(b"q\n"))
    after = writer._add_object(_stream(b"\nQ q " + NUMBER_FORM.encode() + b" Do Q\n"))
    for page, stamp in zip(writer.pages, numbers.pages, strict=True):
        drawn = stamp.get_contents()
        form = _stream(drawn.get_data() if drawn is not None else b"")
        form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): ArrayObject(FloatObject(v) for v in stamp.mediabox),
                     NameObject("/Resources"): _dictionary(stamp, "/Resources").clone(writer)})
        resources = DictionaryObject(_dictionary(page, "/Resources"))
        forms = DictionaryObject(_dictionary(resources, "/XObject"))
        forms[NameObject(NUMBER_FORM)] = writer._add_object(form.flate_encode())
        resources[NameObject("/XObject")] = forms
        page[NameObject("/Resources")] = resources
        contents = page.raw_get("/Contents")
        own = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([before, *own, after])


def _dictionary(holder: DictionaryObject, key: str) -> DictionaryObject:
    """`holder[key]`, resolved, or an empty dictionary."""
    value = holder.get(key)
    found = value.get_object() if value is not None else None
    return found if isinstance(found, DictionaryObject) else DictionaryObject()


def _stream(data: bytes) -> StreamObject:
    stream = StreamObject()
    stream.set_data(data)
    stream[NameObject("/Length")] = NumberObject(len(data))
    return stream
