"""The cross-language vectors generated from @governor/sdk: the same stable JSON, intent hash and
token verdicts in Python."""

import json

import pytest

from governor.intents import http_url_intent, sql_intent
from governor.protocol import intent_hash, sign_decision_token, stable_stringify, verify_decision_token

from conftest import VECTORS

vectors = json.loads(VECTORS.read_text(encoding="utf-8"))


def test_the_file_covers_every_verdict() -> None:
    problems = {case["expect"].get("problem", "ok") for case in vectors["tokens"]["cases"]}
    assert problems == {"ok", "bad-signature", "expired", "malformed", "wrong-intent", "wrong-decision"}
    assert len(vectors["intents"]) > 5


@pytest.mark.parametrize("vector", vectors["intents"], ids=lambda v: v["name"])
def test_intent_stable_json_and_hash(vector: dict) -> None:
    assert stable_stringify(vector["intent"]) == vector["stable"]
    assert intent_hash(vector["intent"]) == vector["hash"]


@pytest.mark.parametrize("vector", vectors["sql"], ids=lambda v: v["statement"][:40])
def test_sql_statement_derives_the_same_intent(vector: dict) -> None:
    derived = sql_intent("sql", vector["statement"])
    assert {"intent": derived.intent, "target": derived.target} == vector["derived"]


@pytest.mark.parametrize("vector", vectors["http"], ids=lambda v: f'{v["method"]} {v["url"]}')
def test_http_request_derives_the_same_intent(vector: dict) -> None:
    derived = http_url_intent("http", vector["method"], vector["url"])
    assert {"intent": derived.intent, "target": derived.target} == vector["derived"]


@pytest.mark.parametrize("case", vectors["tokens"]["cases"], ids=lambda c: c["name"])
def test_token_verdict(case: dict) -> None:
    tokens = vectors["tokens"]
    verdict = verify_decision_token(
        case["token"], tokens["secret"], intent_hash=tokens["expected"]["intent_hash"], decision=tokens["expected"]["decision"], now=tokens["now"]
    )
    assert verdict["ok"] is case["expect"]["ok"]
    if verdict["ok"]:
        assert verdict["claims"]["request_id"] == case["expect"]["request_id"]
    else:
        assert verdict["problem"] == case["expect"]["problem"]


def test_python_signs_exactly_as_node() -> None:
    # The valid vector was signed by Node with these claims: Python's signature is byte-identical.
    tokens = vectors["tokens"]
    valid = next(case for case in tokens["cases"] if case["name"] == "valid")["token"]
    claims = {"intent_hash": tokens["expected"]["intent_hash"], "decision": "ALLOW", "request_id": "req-1", "exp": tokens["now"] + 30_000}
    assert sign_decision_token(claims, tokens["secret"]) == valid


def test_non_json_values_are_refused() -> None:
    with pytest.raises(TypeError):
        stable_stringify({"a": object()})
    assert stable_stringify({"n": float("nan")}) == '{"n":null}'
