"""Language selection: Chinese unless the user picked another language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Use the language the user chose with the switch (its cookie), else LANGUAGE_CODE.

    Django's own middleware would follow the browser's Accept-Language, and county offices
    often run English-language browsers; the interface must be Chinese unless asked.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
