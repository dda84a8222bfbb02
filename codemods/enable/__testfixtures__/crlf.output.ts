import "@governor/sdk/register";
import { serve } from "./serve";

serve();
