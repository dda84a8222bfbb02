import { StructuredTool } from "@langchain/core/tools";
import { z } from "zod";
import { governor } from "@governor/sdk";

export class SendEmailTool extends StructuredTool {
  name = "send_email";
  description = "Send an email to a customer";
  schema = z.object({ email: z.string(), subject: z.string(), body: z.string() });

  async _call({ email, subject }: { email: string; subject: string; body: string }): Promise<string> {
    return governor.withIntent({ action: "write", resource: { type: "email" }, data: { pii: true }, context: { tool: "send_email" } }, async () => {
    const sent = await this.deliver(email, subject);
    return sent ? "sent" : "failed";
    });
  }

  private async deliver(email: string, subject: string): Promise<boolean> {
    return email.length > 0 && subject.length > 0;
  }
}
