/** An answer queued by a test for the next POST /v1/messages: a Message's content, or an error. */
export type ScriptedTurn =
  | {
      content: Array<Record<string, unknown>>;
      stop_reason?: string;
      stop_sequence?: string | null;
      usage?: Partial<{ input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number }>;
      stop_details?: unknown;
    }
  | { error: { status: number; type: string; message: string; headers?: Record<string, string> } };
