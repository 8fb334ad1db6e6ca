"""intents/classify: the packaged intent model, its features and its training data."""
import math
from collections import Counter

import numpy as np
import pytest

from intents.classify import corpus, masked_text
from intents.classify.features import analyze, mask, words
from intents.classify.model import ARTEFACT, IntentModel, load, shared_model
from intents.classify.train import TOOLS
from intents.rules.facts import gather
from intents.rules.text import prepare


def test_the_model_is_packaged_and_knows_every_tool():
    model = shared_model()
    assert model is not None and ARTEFACT.exists()
    assert set(model.labels) == set(TOOLS) and "sales_forecast" in TOOLS and "account_potential" in TOOLS
    assert model.coef.shape == (len(TOOLS), len(model.vocab))


def test_masking_replaces_names_and_values_with_placeholders(make_ctx):
    facts = gather(prepare("昨天拜访了蓝鲸李总，金额80万，打九折"), make_ctx(1))
    masked = masked_text(facts)
    assert "蓝鲸" not in masked and "李总" not in masked and "80" not in masked
    assert {"Ⓐ", "Ⓒ", "Ⓔ", "Ⓜ"} <= set(masked)  # Ⓔ: a date before today


@pytest.mark.parametrize("text, mark", [("明天提醒我", "Ⓕ"), ("昨天见了", "Ⓔ"), ("今天见了", "Ⓓ")])
def test_a_date_is_masked_by_the_side_of_today_it_falls(make_ctx, text, mark):
    assert mark in masked_text(gather(prepare(text), make_ctx(1)))


def test_mask_keeps_the_first_of_overlapping_spans():
    assert mask("abcdef", [(0, 3, "account"), (2, 5, "date")]) == "Ⓐ def"


def test_words_are_dictionary_words_then_single_characters():
    assert words("拜访了Ⓐ") == ["拜访", "了", "Ⓐ"]
    assert "c:拜访" in analyze("拜访") and "w:拜访" in analyze("拜访")


@pytest.mark.parametrize("text, tool", [
    ("Ⓔ 去 Ⓐ 见了 Ⓒ , 聊了交付计划", "log_visit"),
    ("remind me Ⓕ to send Ⓒ the deck", "create_reminder"),
    ("Ⓐ 这个客户最近怎么样", "account_overview"),
    ("how did the team do Ⓓ", "pipeline_report"),
    ("有没有重复录入的客户", "data_health"),
    ("which quotes are still waiting on me", "list_pending_approvals"),
])
def test_the_model_reads_each_kind_of_request(text, tool):
    probs = shared_model().predict(text)
    assert max(probs, key=probs.get) == tool


def test_run_time_tf_idf_matches_scikit_learn():
    sklearn = pytest.importorskip("sklearn.feature_extraction.text")
    docs = ["Ⓔ 拜访了 Ⓐ", "remind me Ⓕ", "Ⓐ 近况如何", "拜访 Ⓐ 聊了方案"]
    vectorizer = sklearn.TfidfVectorizer(analyzer=analyze, sublinear_tf=True, dtype=np.float64).fit(docs)
    model = IntentModel(labels=("x",), vocab=dict(vectorizer.vocabulary_), idf=vectorizer.idf_,
                        coef=np.zeros((1, len(vectorizer.vocabulary_))), intercept=np.zeros(1))
    expected = vectorizer.transform(["拜访了 Ⓐ 聊了方案 方案"]).toarray()[0]
    idx, weights = model.vector("拜访了 Ⓐ 聊了方案 方案")
    got = np.zeros(len(vectorizer.vocabulary_))
    got[idx] = weights
    assert np.allclose(got, expected)


def test_a_stored_model_loads_back_the_same(tmp_path):
    model = IntentModel(labels=("a", "b"), vocab={"c:x": 0, "w:y": 1}, idf=np.array([1.0, 2.0]),
                        coef=np.array([[1.0, -1.0], [0.5, 0.25]]), intercept=np.array([0.0, -1.0]))
    path = tmp_path / "m.npz"
    model.save(path)
    back = load(path)
    assert back.labels == model.labels and back.vocab == model.vocab
    p = back.predict("x y")
    assert p["a"] == pytest.approx(1 / (1 + math.exp(-(1.0 * 1 / math.sqrt(5) - 2 / math.sqrt(5)))), abs=1e-3)


def test_the_generated_corpus_is_deterministic_and_covers_every_tool():
    first, again = corpus.generate(300, seed=3), corpus.generate(300, seed=3)
    assert first == again
    seen = Counter(tool for _, tools in first for tool in tools)
    assert set(seen) == set(TOOLS)
    assert any(not tools for _, tools in first)  # chit-chat asks for nothing
    assert any(len(tools) > 1 for _, tools in first)  # several requests in one message


def test_generated_names_are_masked_through_their_own_directory(make_ctx):
    from dataclasses import replace

    ctx = replace(make_ctx(1), directory=corpus.directory())
    masked = masked_text(gather(prepare("昨天拜访了星河科技李总"), ctx))
    assert "星河" not in masked and "Ⓐ" in masked and "Ⓒ" in masked
