"""Building a wheel compiles the translation catalogue into it (.mo files are build output, not in git)."""
import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent


class BuildWithCatalogs(build_py):
    def run(self):
        super().run()
        spec = importlib.util.spec_from_file_location("tonghu_i18n", HERE / "webapp" / "i18n.py")
        i18n = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(i18n)
        i18n.compile_catalogs(HERE / "webapp" / "translations", Path(self.build_lib) / "webapp" / "translations")


setup(cmdclass={"build_py": BuildWithCatalogs})
