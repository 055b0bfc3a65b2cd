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
    BooleanObject,
    ByteStringObject,
    Destination,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
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
    tags = _Tags(writer)
    for pdf, carried in zip(parts, continued, strict=True):
        reader = PdfReader(io.BytesIO(pdf))
        offset = len(writer.pages)
        writer.append(reader, import_outline=False)
        tags.add(reader, offset)
        for name, dest in reader.named_destinations.items():
            places[_place_name(name)] = (offset + _page_of(reader, dest), dest)
        top = _outline_tops(reader.outline)
        if carried and chapter is not None:
            _copy_outline(writer, reader, _items(top[:carried]), offset, chapter)
        chapter = _copy_outline(writer, reader, _items(top[carried:]), offset, None) or chapter
    tags.finish()
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


class _Tags:
    """The parts' structure trees (Chromium prints a tagged PDF: what a screen reader reads,
    in order) joined under one root: pypdf's `append` copies pages and annotations but not
    the catalog's `/StructTreeRoot`, and drops each page's `/StructParents`. Each part's
    tree is cloned by the same reader, so its references to pages and annotations lead to
    their copies; the keys of its parent tree (pages' `/StructParents`, annotations'
    `/StructParent`) move on by the keys of the parts before it."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.root: DictionaryObject | None = None
        self.document: DictionaryObject | None = None  # the Document element of the first part
        self.kids = ArrayObject()  # what the later parts' Document elements hold
        self.ids: dict[str, PdfObject] = {}  # every element's /ID → the element
        self.nums = ArrayObject()
        self.next_key = 0

    def add(self, reader: PdfReader, offset: int) -> None:
        """Part `reader`, whose pages are the book's from `offset` on."""
        found = reader.root_object.get("/StructTreeRoot")
        if found is None:
            return
        tree = found.get_object().clone(self.writer)
        assert isinstance(tree, DictionaryObject)
        # the joined IDTree is made anew (`finish`); the part's copy would carry Chromium's
        # names into the file (see `_name_elements`), so its nodes are emptied
        if "/IDTree" in tree:
            _empty_name_tree(tree["/IDTree"])
            del tree["/IDTree"]
        base = self.next_key
        if self.root is None:
            self.root = tree
        for document in (kid.get_object() for kid in _kids(tree)):
            if self.document is None:
                self.document = document
                continue
            for kid in _kids(document):  # a tagged PDF has one Document element: the first part's
                if isinstance(kid.get_object(), DictionaryObject):
                    kid.get_object()[NameObject("/P")] = self.document.indirect_reference or self.document
                self.kids.append(kid)
        self._name_elements(tree)
        nums = _dictionary(tree, "/ParentTree").get("/Nums", ArrayObject())
        for at in range(0, len(nums) - 1, 2):
            self.nums += [NumberObject(int(nums[at]) + base), nums[at + 1]]
        for number, page in enumerate(reader.pages):
            copy = self.writer.pages[offset + number]
            key = page.get("/StructParents")
            if isinstance(key, NumberObject):
                copy[NameObject("/StructParents")] = NumberObject(int(key) + base)
            for ref in copy.get("/Annots") or []:
                annotation = ref.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        int(annotation["/StructParent"]) + base)
        self.next_key += int(tree.get("/ParentTreeNextKey", 0))
        if "/Lang" in reader.root_object and "/Lang" not in self.writer.root_object:
            self.writer.root_object[NameObject("/Lang")] = reader.root_object["/Lang"]

    def _name_elements(self, tree: DictionaryObject) -> None:
        """Every element of `tree` with an /ID kept for the joined IDTree, named anew by
        its place in the joined tree (`id{n}`, numbered on from the parts before), and so
        the ids a table cell names as its /Headers. Chromium names them after its DOM
        nodes (node00000104), whose numbers are not the same from one print to the next
        (a busy machine's parser splits the text differently: one print of the same book
        in a clean-clone run said node00000103), and each part numbers its own from the
        start."""
        elements: list[tuple[Any, DictionaryObject]] = []
        todo = _kids(tree)
        while todo:
            ref = todo.pop()
            element = ref.get_object()
            if isinstance(element, DictionaryObject) and "/S" in element:
                elements.append((ref, element))
                todo += _kids(element)
        names = {str(element["/ID"]): f"id{len(self.ids) + n}"
                 for n, (_, element) in enumerate(e for e in elements if "/ID" in e[1])}
        for ref, element in elements:
            if "/ID" in element:
                name = names[str(element["/ID"])]
                element[NameObject("/ID")] = ByteStringObject(name.encode())
                self.ids[name] = ref
            attributes = element.get("/A")
            for each in _as_list(attributes.get_object() if attributes is not None else None):
                heads = each.get_object().get("/Headers") if isinstance(each.get_object(), dict) else None
                if isinstance(heads, ArrayObject):
                    each.get_object()[NameObject("/Headers")] = ArrayObject(
                        ByteStringObject(names.get(str(h), str(h)).encode()) for h in heads)

    def finish(self) -> None:
        """The joined tree in the catalog, and the book marked as tagged."""
        if self.root is None:
            return
        if self.document is not None and self.kids:
            self.document[NameObject("/K")] = ArrayObject([*_kids(self.document), *self.kids])
        self.root[NameObject("/ParentTree")] = self.writer._add_object(
            DictionaryObject({NameObject("/Nums"): self.nums}))
        self.root[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)
        names = sorted(self.ids)
        self.root[NameObject("/IDTree")] = self.writer._add_object(DictionaryObject({
            NameObject("/Names"): ArrayObject(x for name in names
                                              for x in (ByteStringObject(name.encode()), self.ids[name]))}))
        self.writer.root_object[NameObject("/StructTreeRoot")] = self.root.indirect_reference or self.root
        self.writer.root_object[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): BooleanObject(True)})


def _empty_name_tree(node: PdfObject) -> None:
    """Each node of a name tree left an empty dictionary (copied objects stay in pypdf's
    file, referred to or not)."""
    todo = [node]
    while todo:
        each = todo.pop().get_object()
        if isinstance(each, DictionaryObject):
            todo += _as_list(each.get("/Kids"))
            each.clear()


def _as_list(value: PdfObject | None) -> list[Any]:
    return list(value) if isinstance(value, ArrayObject) else [] if value is None else [value]


def _kids(element: DictionaryObject) -> list[Any]:
    """A structure element's children (its `/K`: one, or an array), as written (references)."""
    kids = element.raw_get("/K") if "/K" in element else None
    found = kids.get_object() if kids is not None else None
    return list(found) if isinstance(found, ArrayObject) else [] if kids is None else [kids]


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
    after = writer._add_object(_stream(b"\nQ /Artifact BMC q " + NUMBER_FORM.encode() + b" Do Q EMC\n"))
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
