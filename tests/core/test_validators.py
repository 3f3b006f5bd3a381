import pytest
from django.core.exceptions import ValidationError

from core.validators import luhn_check_digit, normalise_org_number, validate_org_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("222000-2642", "222000-2642"),  # Samordningsförbundet Skellefteå-Norsjö
        ("212000-1967", "212000-1967"),  # Ljusnarsbergs kommun
        ("2120001967", "212000-1967"),  # without the hyphen
        (" 212000 - 1967 ", "212000-1967"),  # spaces as people paste them
        ("202100-5521", "202100-5521"),  # Försäkringskassan
    ],
)
def test_valid_org_numbers_are_normalised(value, expected):
    assert normalise_org_number(value) == expected
    validate_org_number(value)


def test_check_digit_of_known_numbers():
    assert luhn_check_digit("222000264") == 2
    assert luhn_check_digit("212000196") == 7


def _message(value) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        normalise_org_number(value)
    error = caught.value
    return error.code, error.messages[0]


def test_wrong_check_digit_names_the_expected_digit():
    code, message = _message("212000-1968")
    assert code == "checksum"
    assert message == "Organisationsnumret ”212000-1968” har fel kontrollsiffra (sista siffran ska vara 7)."


@pytest.mark.parametrize("value", ["21200-1967", "212000-196", "2120-001967", "abcdef-ghij", "", "212000+1967"])
def test_wrong_form(value):
    code, message = _message(value)
    assert code == "format"
    assert "har fel form. Skriv tio siffror som NNNNNN-NNNN" in message


@pytest.mark.parametrize("value", ["191212-1212", "201212-1219", "640823-3234"])
def test_third_digit_below_two_is_not_an_org_number(value):
    code, message = _message(value)
    assert code == "month"
    assert message == (
        f"Organisationsnumret ”{value}” är inte ett organisationsnummer: den tredje siffran ska vara 2 eller högre."
    )
