import axios from "axios";
import type { AxiosInstance } from "axios";
import { govern } from "@governor/sdk";

export const github: AxiosInstance = govern(axios.create({
  baseURL: "https://api.github.com",
  headers: { accept: "application/vnd.github+json" },
}));

export async function listIssues(repo: string) {
  const { data } = await github.get(`/repos/${repo}/issues`);
  return data;
}

export async function createIssue(repo: string, title: string) {
  return github.post(`/repos/${repo}/issues`, { title });
}

export async function charge(amount: number) {
  const res = await govern(axios).post<{ id: string }>("https://api.stripe.example/v1/charges", { amount });
  return res.data.id;
}

export function raw(config: { url: string; method: string }) {
  return govern(axios)(config);
}

export const once = () => govern(axios.create({ timeout: 1000 })).get("https://example.com");
