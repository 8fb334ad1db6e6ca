"""Tiny Whisper models with random weights, built on the spot (model weights cannot be downloaded
here, and none are committed). They run the real loading and decoding code of both libraries; what
they say is noise.

- openai-whisper: `whisper.model.Whisper(ModelDimensions(...))` saved as a torch checkpoint, which
  `whisper.load_model(path)` reads like a downloaded one.
- faster-whisper: a random `WhisperForConditionalGeneration` converted with CTranslate2's
  `TransformersConverter`, with a tokenizer.json built from openai-whisper's bundled
  multilingual.tiktoken (without it faster-whisper would fetch one from the model hub).

Both use the multilingual vocabulary (51865 tokens: 99 languages), so language hints and prompts
take the same path as with a real model.
"""
from __future__ import annotations

from pathlib import Path

N_VOCAB = 51865
N_LANGUAGES = 99
# openai-whisper's tokenizer pattern (whisper/tokenizer.py)
_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
TINY = {"width": 64, "heads": 2, "layers": 1, "ffn": 128}


def build_openai_whisper(path: Path, *, seed: int = 0) -> Path:
    """A random multilingual Whisper checkpoint at `path` (about 14 MB)."""
    import torch
    from whisper.model import ModelDimensions, Whisper

    torch.manual_seed(seed)
    dims = ModelDimensions(n_mels=80, n_audio_ctx=1500, n_audio_state=TINY["width"], n_audio_head=TINY["heads"],
                           n_audio_layer=TINY["layers"], n_vocab=N_VOCAB, n_text_ctx=448,
                           n_text_state=TINY["width"], n_text_head=TINY["heads"], n_text_layer=TINY["layers"])
    model = Whisper(dims)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"dims": dims.__dict__, "model_state_dict": model.state_dict()}, path)
    return path


def whisper_special_tokens() -> list[str]:
    from whisper.tokenizer import LANGUAGES

    languages = [f"<|{code}|>" for code in list(LANGUAGES)[:N_LANGUAGES]]
    return ["<|endoftext|>", "<|startoftranscript|>", *languages, "<|translate|>", "<|transcribe|>",
            "<|startoflm|>", "<|startofprev|>", "<|nospeech|>", "<|notimestamps|>"]


def build_whisper_tokenizer():
    """Whisper's multilingual tokenizer as a `tokenizers.Tokenizer`: the bundled tiktoken BPE,
    the special tokens at their usual ids (50257…50363), then 1501 timestamp tokens."""
    from pathlib import Path as _Path

    import whisper
    from tokenizers import AddedToken
    from transformers.convert_slow_tokenizer import TikTokenConverter

    tiktoken_file = _Path(whisper.__file__).parent / "assets" / "multilingual.tiktoken"
    tokenizer = TikTokenConverter(vocab_file=str(tiktoken_file), pattern=_PATTERN).converted()
    tokenizer.add_special_tokens([AddedToken(t, special=True) for t in whisper_special_tokens()])
    tokenizer.add_tokens([AddedToken(f"<|{i * 0.02:.2f}|>", special=False) for i in range(1501)])
    assert tokenizer.get_vocab_size() == N_VOCAB
    return tokenizer


def build_faster_whisper(folder: Path, *, seed: int = 0) -> Path:
    """A random CTranslate2 Whisper model (int8) in `folder`: model.bin, config.json,
    vocabulary.json, tokenizer.json."""
    import tempfile

    import ctranslate2
    import torch
    from transformers import GenerationConfig, WhisperConfig, WhisperForConditionalGeneration, WhisperTokenizerFast
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()

    tokenizer = build_whisper_tokenizer()
    specials = whisper_special_tokens()
    ids = {t: tokenizer.token_to_id(t) for t in specials}
    torch.manual_seed(seed)
    config = WhisperConfig(vocab_size=N_VOCAB, num_mel_bins=80, d_model=TINY["width"],
                           encoder_layers=TINY["layers"], decoder_layers=TINY["layers"],
                           encoder_attention_heads=TINY["heads"], decoder_attention_heads=TINY["heads"],
                           encoder_ffn_dim=TINY["ffn"], decoder_ffn_dim=TINY["ffn"], max_source_positions=1500,
                           max_target_positions=448, decoder_start_token_id=ids["<|startoftranscript|>"],
                           pad_token_id=ids["<|endoftext|>"], bos_token_id=ids["<|endoftext|>"],
                           eos_token_id=ids["<|endoftext|>"])
    model = WhisperForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=ids["<|startoftranscript|>"], eos_token_id=ids["<|endoftext|>"],
        pad_token_id=ids["<|endoftext|>"], suppress_tokens=[], begin_suppress_tokens=[220, ids["<|endoftext|>"]],
        lang_to_id={t: ids[t] for t in specials[2:2 + N_LANGUAGES]},
        task_to_id={"transcribe": ids["<|transcribe|>"], "translate": ids["<|translate|>"]},
        no_timestamps_token_id=ids["<|notimestamps|>"], is_multilingual=True)
    with tempfile.TemporaryDirectory(prefix="tiny-whisper-hf-") as hf:
        model.save_pretrained(hf)
        WhisperTokenizerFast(tokenizer_object=tokenizer, bos_token="<|endoftext|>", eos_token="<|endoftext|>",
                             unk_token="<|endoftext|>", pad_token="<|endoftext|>",
                             additional_special_tokens=specials[1:]).save_pretrained(hf)
        converter = ctranslate2.converters.TransformersConverter(hf, copy_files=["tokenizer.json"])
        converter.convert(str(folder), quantization="int8", force=True)
    return folder
