"""Validates a STIX 2.1 bundle with the OASIS validator (stix2-validator).

Usage: python3 validate_stix.py FILE
Prints the validator's report, then a JSON line {"valid": bool, "errors": N, "warnings": N};
exits 1 when the bundle has any error.
"""
import json
import sys

from stix2validator import ValidationOptions, print_results, validate_file


def main():
    options = ValidationOptions(version="2.1")
    result = validate_file(sys.argv[1], options)
    print_results(result)
    errors = sum(len(o.errors) for o in result.object_results)
    warnings = sum(len(o.warnings) for o in result.object_results)
    errors += len(getattr(result, "fatal", None) and [result.fatal] or [])
    print(json.dumps({"valid": bool(result.is_valid), "errors": errors, "warnings": warnings}))
    sys.exit(0 if result.is_valid else 1)


if __name__ == "__main__":
    main()
