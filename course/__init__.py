"""中小企業向け情報セキュリティ研修 / Information-security training course for SMEs."""

__version__ = "0.1.0"
