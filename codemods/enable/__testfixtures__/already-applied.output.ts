import "@governor/sdk/register";
import express from "express";

express().listen(3000);
