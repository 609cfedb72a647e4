import { z } from "zod";
import { tool } from "../define.ts";

/**
 * The one tool that changes nothing outside Brainhair: the title of the chat it is in (its
 * person's own list). It runs at once, like the automatic title, and is audited like any tool.
 */
export const setChatTitle = tool({
  name: "set_chat_title",
  description: "Give this chat a short title (at most 80 characters) once you know what it is about.",
  input: z.object({ title: z.string().trim().min(1).max(80) }).strict(),
  operations: {},
  local: async (input, ctx) => {
    await ctx.setTitle(input.title);
    return { status: 200, body: { title: input.title }, local: true };
  },
});
