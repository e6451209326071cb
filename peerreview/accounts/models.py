import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_platform_admin=True, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: LGA staff, peers, and host council staff. Email is the sign-in name."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "councils.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    # LGA staff (peer challenge managers) can start reviews and see reference data.
    is_lga_staff = models.BooleanField(default=False)
    # Platform admins manage accounts; they see no review content.
    is_platform_admin = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Invitation(models.Model):
    """A single-use, short-lived link to set a password. Only a hash of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    used = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Invitation for {self.user}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, *, by: User | None) -> tuple["Invitation", str]:
        token = secrets.token_urlsafe(32)
        inv = cls.objects.create(
            user=user,
            token_hash=cls.hash(token),
            expires=timezone.now() + timezone.timedelta(days=settings.INVITATION_DAYS),
            invited_by=by,
        )
        return inv, token

    @property
    def is_usable(self) -> bool:
        return self.used is None and self.expires > timezone.now()


class SignInFailure(models.Model):
    """Failed sign-ins, counted per email to pause brute-force guessing."""

    email = models.CharField(max_length=254, db_index=True)
    at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} at {self.at}"
