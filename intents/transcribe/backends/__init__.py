"""Transcriber backends: local faster-whisper (default), local openai-whisper, an HTTP endpoint."""
