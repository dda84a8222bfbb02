import "@governor/sdk/register";
import express from "express";
import { agent } from "./agent.js";

const app = express();
app.listen(3000);
