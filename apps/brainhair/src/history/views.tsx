import { usePage } from "@hivematrix/lib/page";
import { Button, Card, EmptyState, Field, PageHeader, Toolbar, ToolbarGroup } from "@hivematrix/lib/ui";
import type { ChatJson } from "../chat/json.ts";

export function HistoryPage({
  search,
  results,
}: {
  search: string;
  results: { chat: ChatJson; snippet: string | null }[] | null;
}) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="History"
        description="Find a chat by its title or anything said in it, and pick it up again."
      />
      <Toolbar label="Search chats" action={page.url("/history")}>
        <ToolbarGroup grow>
          <Field name="q" label="Search" type="search" value={search} />
        </ToolbarGroup>
        <ToolbarGroup end>
          <Button label="Search" variant="primary" />
        </ToolbarGroup>
      </Toolbar>
      {results === null ? null : results.length === 0 ? (
        <EmptyState title="No chat matches" message="Every word must appear; words match from their start." />
      ) : (
        results.map((result) => (
          <Card
            title={result.chat.title}
            actions={<Button href={page.url(`/chats/${result.chat.id}`)} label="Resume" size="small" />}
          >
            <p>
              <time
                datetime={result.chat.updated_at}
              >{`${result.chat.updated_at.replace("T", " ").slice(0, 16)} UTC`}</time>
              {result.snippet && ` · ${result.snippet}`}
            </p>
          </Card>
        ))
      )}
    </>
  );
}
