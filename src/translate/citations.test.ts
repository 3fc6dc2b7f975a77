import { describe, expect, inject, it } from "vitest";
import { annotateBlocks, chatAnnotation, CitationTracker, responsesAnnotation, safeSpan, type ClaudeCitation } from "./citations";

const web: ClaudeCitation = { type: "web_search_result_location", cited_text: "Sky is blue.", url: "https://a.example/sky", title: "Sky", encrypted_index: "Eo.." };

function recordedStream(): any[] {
  return inject("recordedFixtures")["anthropic-web-search-tool.1.chunks.txt"]!.trim().split("\n").map((l) => JSON.parse(l));
}

/** Plays a stream's text events through the tracker the way a renderer does: what is sent, in order. */
function replay(events: any[]) {
  const tracker = new CitationTracker(chatAnnotation);
  const chunks: Array<{ content?: string; annotations?: any[]; endsAt: number }> = [];
  const send = (content: string | null, annotations: any[] = []) => {
    if (content === null && annotations.length === 0) return;
    if (content !== null) tracker.emitted(content);
    chunks.push({ ...(content !== null ? { content } : {}), ...(annotations.length ? { annotations } : {}), endsAt: tracker.length });
  };
  const kinds = new Map<number, string>();
  for (const ev of events) {
    if (ev.type === "content_block_start") {
      kinds.set(ev.index, ev.content_block.type);
      if (ev.content_block.type === "text") tracker.blockStart(ev.index, Array.isArray(ev.content_block.citations));
    }
    if (ev.type === "content_block_delta" && ev.delta.type === "citations_delta") tracker.citation(ev.index, ev.delta.citation);
    if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") send(tracker.hold(ev.index, ev.delta.text));
    if (ev.type === "content_block_stop" && kinds.get(ev.index) === "text") {
      const { text, annotations } = tracker.blockStop(ev.index);
      send(text, annotations);
    }
  }
  return chunks;
}

describe("citations → chat annotations", () => {
  it("web citations become url_citation spans of their block, cited_text kept as an extra", () => {
    const out = annotateBlocks([{ type: "text", text: "Intro: " }, { type: "text", text: "Sky is blue.", citations: [web] }, { type: "text", text: " End." }], chatAnnotation);
    expect(out).toEqual([{ type: "url_citation", url_citation: { url: "https://a.example/sky", title: "Sky", start_index: 7, end_index: 19, cited_text: "Sky is blue." } }]);
  });

  it("document citations become url_citation with a file: url, the title, the index and location", () => {
    const char: ClaudeCitation = { type: "char_location", cited_text: "abc", document_index: 1, document_title: "Notes", start_char_index: 0, end_char_index: 3 };
    const page: ClaudeCitation = { type: "page_location", cited_text: "p", document_index: 0, document_title: null, start_page_number: 2, end_page_number: 3, file_id: "file_011Cabc" };
    expect(chatAnnotation(char, 0, 3)).toEqual({ type: "url_citation", url_citation: { url: "file:document-1", title: "Notes", start_index: 0, end_index: 3, cited_text: "abc", document_index: 1, location: { start_char_index: 0, end_char_index: 3 } } });
    expect(chatAnnotation(page, 4, 9)!.url_citation).toMatchObject({ url: "file:file_011Cabc", title: "Document 1", location: { start_page_number: 2, end_page_number: 3 } });
    expect(chatAnnotation({ type: "search_result_location", cited_text: "x" }, 0, 1)).toBeNull();
  });

  it("Responses: url_citation flat, documents as file_citation at the span's end", () => {
    expect(responsesAnnotation(web, 3, 10)).toEqual({ type: "url_citation", url: web.url, title: "Sky", start_index: 3, end_index: 10, cited_text: "Sky is blue." });
    expect(responsesAnnotation({ type: "content_block_location", cited_text: "c", document_index: 2, document_title: "Deck", start_block_index: 0, end_block_index: 1 }, 3, 10))
      .toEqual({ type: "file_citation", file_id: "document-2", filename: "Deck", index: 10, cited_text: "c" });
  });

  it("an offset moves every span (content that precedes the answer, such as <think> tags)", () => {
    const [a] = annotateBlocks([{ type: "text", text: "Sky is blue.", citations: [web] }], chatAnnotation, 5);
    expect(a!.url_citation).toMatchObject({ start_index: 5, end_index: 17 });
  });

  it("indices count UTF-16 units and never split a surrogate pair", () => {
    const [a] = annotateBlocks([{ type: "text", text: "😀 " }, { type: "text", text: "é😀", citations: [web] }], chatAnnotation);
    expect(a!.url_citation).toMatchObject({ start_index: 3, end_index: 6 });
    expect(safeSpan("a😀b", 2, 2)).toEqual({ start: 1, end: 3 });
    expect(safeSpan("a😀b", 1, 3)).toEqual({ start: 1, end: 3 });
  });

  it("the recorded answer: every span is exactly the cited block's text", () => {
    const recorded = JSON.parse(inject("recordedFixtures")["anthropic-web-search-tool.1.json"]!);
    const content = recorded.content.filter((b: any) => b.type === "text").map((b: any) => b.text).join("");
    const out = annotateBlocks(recorded.content, chatAnnotation);
    const citedBlocks = recorded.content.filter((b: any) => b.citations?.length);
    expect(out.length).toBe(citedBlocks.reduce((n: number, b: any) => n + b.citations.length, 0));
    for (const a of out) {
      const span = content.slice(a.url_citation.start_index, a.url_citation.end_index);
      expect(citedBlocks.some((b: any) => b.text === span && b.citations.some((c: any) => c.url === a.url_citation.url))).toBe(true);
    }
  });
});

describe("CitationTracker (streaming)", () => {
  it("the recorded stream: annotations ride on the chunk that completes their text, and match the non-stream spans", () => {
    const events = recordedStream();
    const chunks = replay(events);
    const content = chunks.map((c) => c.content ?? "").join("");
    const streamed = chunks.flatMap((c) => c.annotations ?? []);
    // Rebuild the message from the same events and annotate it whole: the same spans.
    const blocks: any[] = [];
    for (const ev of events) {
      if (ev.type === "content_block_start") blocks[ev.index] = structuredClone(ev.content_block);
      if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") blocks[ev.index].text += ev.delta.text;
      if (ev.type === "content_block_delta" && ev.delta.type === "citations_delta") blocks[ev.index].citations.push(ev.delta.citation);
    }
    expect(streamed).toEqual(annotateBlocks(blocks, chatAnnotation));
    expect(streamed.length).toBe(14);
    for (const chunk of chunks.filter((c) => c.annotations)) {
      expect(chunk.content).toBeTruthy();
      for (const a of chunk.annotations!) expect(a.url_citation.end_index).toBe(chunk.endsAt);
    }
    const first = chunks.find((c) => c.annotations)!;
    expect(first.content).toBe("T.");
    expect(content.slice(first.annotations![0].url_citation.start_index, first.annotations![0].url_citation.end_index))
      .toBe("Apple today announced the grand reopening of Apple Ginza on Friday, September 26, located in the vibrant Ginza district where Apple's retail journey in Japan began more than two decades ago. Apple Ginza opens to customers Friday, September 26, at 10 a.m. JST.");
  });

  it("citations that arrive after the text still span the whole block; plain blocks pass straight through", () => {
    const t = new CitationTracker(chatAnnotation);
    t.emitted("ab");
    t.blockStart(1, false);
    expect(t.hold(1, "Sky ")).toBe("Sky ");
    t.emitted("Sky ");
    t.citation(1, web);
    expect(t.hold(1, "is blue.")).toBeNull();
    const stop = t.blockStop(1);
    expect(stop.text).toBe("is blue.");
    expect(stop.annotations[0]!.url_citation).toMatchObject({ start_index: 2, end_index: 14 });
  });
});
