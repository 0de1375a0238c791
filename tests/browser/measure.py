"""JavaScript run in the page to measure what the user sees (N5, N7).

Each function takes a Playwright locator or page and returns plain data, so
the tests' assertions stay in Python.
"""

from __future__ import annotations

from typing import Any

# Every piece of visible text under ``root`` with the colour it is drawn in and
# the colour behind it: the backgrounds of its ancestors composited from the
# page down, as the browser paints them (alpha included).
_TEXT_COLOURS = """(root) => {
    const parse = (value) => {
        const n = value.match(/[\\d.]+/g).map(Number);
        return {r: n[0], g: n[1], b: n[2], a: n.length > 3 ? n[3] : 1};
    };
    const over = (top, under) => ({
        r: top.r * top.a + under.r * (1 - top.a),
        g: top.g * top.a + under.g * (1 - top.a),
        b: top.b * top.a + under.b * (1 - top.a),
        a: 1,
    });
    const hex = (c) => '#' + [c.r, c.g, c.b].map(
        (v) => Math.round(v).toString(16).padStart(2, '0')).join('');
    const backgroundOf = (element) => {
        const chain = [];
        for (let e = element; e; e = e.parentElement) chain.push(e);
        let colour = {r: 255, g: 255, b: 255, a: 1};
        for (const e of chain.reverse()) {
            colour = over(parse(getComputedStyle(e).backgroundColor), colour);
        }
        return colour;
    };
    const found = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        const element = node.parentElement;
        if (!text || !element.getClientRects().length) continue;
        const background = backgroundOf(element);
        const colour = over(parse(getComputedStyle(element).color), background);
        found.push({text, colour: hex(colour), background: hex(background)});
    }
    return found;
}"""


def text_colours(root: Any) -> list[dict[str, str]]:
    return list(root.evaluate(_TEXT_COLOURS))


# Where each column's header text and body text start, and their alignment.
_COLUMNS = """(table) => {
    const start = (cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return range.getClientRects()[0].left;
    };
    const heads = [...table.querySelectorAll('thead th')];
    return heads.map((th, column) => ({
        header: th.textContent,
        headAlign: getComputedStyle(th).textAlign,
        headStart: start(th),
        body: [...table.querySelectorAll('tbody tr')].map((row) => {
            const td = row.children[column];
            return {align: getComputedStyle(td).textAlign, start: start(td)};
        }),
    }));
}"""


def columns(table: Any) -> list[dict[str, Any]]:
    return list(table.evaluate(_COLUMNS))


# For every occurrence of each word under ``root``: how many line boxes it spans.
_WORD_LINES = """([root, words]) => {
    const found = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of words) {
            for (let at = node.textContent.indexOf(word); at >= 0;
                 at = node.textContent.indexOf(word, at + 1)) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + word.length);
                const tops = new Set([...range.getClientRects()]
                    .filter((r) => r.width > 0).map((r) => Math.round(r.top)));
                found.push({word, lines: tops.size});
            }
        }
    }
    return found;
}"""


def word_lines(root: Any, words: list[str]) -> list[dict[str, Any]]:
    handle = root.element_handle()
    return list(root.page.evaluate(_WORD_LINES, [handle, words]))


def box(locator: Any) -> dict[str, float]:
    return dict(
        locator.evaluate(
            """(e) => { const r = e.getBoundingClientRect();
                return {left: r.left, right: r.right, width: r.width,
                        clientWidth: e.clientWidth, scrollWidth: e.scrollWidth}; }"""
        )
    )
