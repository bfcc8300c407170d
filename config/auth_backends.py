"""django-axes for password logins only.

Personal links authenticate with django-sesame's credentials (`sesame=token`, and no request
when `sesame.utils.get_user` checks a token): this backend's signature takes only a username
and password, so Django skips it for those, and axes never sees a personal-link login.
"""

from axes.backends import AxesStandaloneBackend


class PasswordLoginRateLimitBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None):
        return super().authenticate(request, username=username, password=password)
