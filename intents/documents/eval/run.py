"""`make eval-contracts`: read synthetic contract photos with the real OCR and score every field.

The photos are written for demo accounts whose contract names (name plus a legal suffix) resolve to
that account when typed cleanly, so a miss is the reading's fault, not the name matching's. Prints
field accuracy, the share of photos with customer, amount, currency and signing date all right (the
goal is 95 %), the misses, and seconds per photo."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from intents.documents.eval.synth import EN_SUFFIXES, ZH_SUFFIXES, photos, same_name
from intents.documents.files import load_pages
from intents.documents.matching import match_contract
from intents.documents.reader import ContractReader, rapid_ocr
from storage.names import Directory, Entry

FIELDS = ("contract_no", "party_a", "party_b", "amount", "currency", "signed_on", "start_on", "end_on")
KEY = ("customer", "amount", "currency", "signed_on")


def demo_directory() -> tuple[Directory, list[dict]]:
    """The demo accounts as a Directory, and those whose suffixed names resolve back to them."""
    from storage.demo_data.accounts import ACCOUNTS

    directory = Directory(accounts=[Entry("account", a["id"], a["name"], tuple(a["aliases"]), owner_id=a["owner_id"])
                                    for a in ACCOUNTS])
    usable = [a for a in ACCOUNTS
              if all(directory.resolve("account", a["name"] + s).status == "exact"
                     and directory.resolve("account", a["name"] + s).entry.id == a["id"]
                     for s in (ZH_SUFFIXES if a.get("lang", "zh") == "zh" else EN_SUFFIXES))]
    return directory, usable


def evaluate(n: int, *, seed: int, save: Path | None = None, verbose: bool = True) -> dict:
    directory, accounts = demo_directory()
    started = time.perf_counter()
    reader = ContractReader(rapid_ocr())
    load_s = time.perf_counter() - started
    right = {f: 0 for f in (*FIELDS, "customer")}
    all_key, seconds = 0, []
    for photo in photos(accounts, n, seed=seed):
        if save:
            save.mkdir(parents=True, exist_ok=True)
            (save / photo.name).write_bytes(photo.jpeg)
        t0 = time.perf_counter()
        reading = reader.read(load_pages(photo.jpeg, source=photo.name, max_bytes=10 * 1024 * 1024))
        match = match_contract(reading, directory, [])
        seconds.append(time.perf_counter() - t0)
        truth = photo.truth
        ok = {f: (same_name(reading.value(f), getattr(truth, f)) if f.startswith("party")
                  else reading.value(f) == getattr(truth, f)) for f in FIELDS}
        ok["customer"] = match.account is not None and match.account.id == truth.account_id
        for f, good in ok.items():
            right[f] += good
        all_key += all(ok[f] for f in KEY)
        if verbose and not all(ok.values()):
            misses = {f: (reading.value(f), getattr(truth, f, truth.account_id)) for f, good in ok.items() if not good}
            print(f"  {photo.name}: " + "; ".join(f"{f} read {got!r}, is {want!r}" for f, (got, want) in misses.items()))
    total = len(seconds)
    return {"photos": total, "accounts": len(accounts), "field_accuracy": {f: right[f] / total for f in right},
            "all_key_right": all_key / total, "seconds_per_photo": sum(seconds) / total, "model_load_s": load_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m intents.documents.eval.run", description=__doc__)
    parser.add_argument("-n", type=int, default=36, help="photos to generate and read (default 36)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--save", type=Path, help="also write the photos to this folder")
    args = parser.parse_args(argv)
    result = evaluate(args.n, seed=args.seed, save=args.save)
    print(f"{result['photos']} synthetic contract photos (zh and en, 4 layouts, rotated, blurred, noisy JPEG), "
          f"{result['accounts']} demo accounts")
    for field, share in result["field_accuracy"].items():
        print(f"  {field:<12} {share:6.1%}")
    print(f"customer, amount, currency and signing date all right: {result['all_key_right']:.1%} (goal 95 %)")
    print(f"seconds per photo (OCR + fields + matching): {result['seconds_per_photo']:.2f}; "
          f"model load {result['model_load_s']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
